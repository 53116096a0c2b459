import net from "node:net";

/**
 * A raw TCP connection for stages: write any bytes, read what comes back through a parser,
 * know when the server closed. Stages use it to send what no well-behaved client would.
 */
export class TcpLink<T> {
  readonly #socket: net.Socket;
  readonly #items: T[] = [];
  #waiters: (() => void)[] = [];
  #closed = false;
  #problem: string | undefined;
  readonly closed: Promise<void>;

  private constructor(socket: net.Socket, parse: (chunk: Buffer) => T[]) {
    this.#socket = socket;
    const wake = () => {
      for (const w of this.#waiters.splice(0)) w();
    };
    socket.on("data", (chunk: Buffer) => {
      try {
        this.#items.push(...parse(chunk));
      } catch (error) {
        this.#problem = (error as Error).message;
        socket.destroy();
      }
      wake();
    });
    socket.on("error", () => {}); // a reset is a close, which the stages look for
    this.closed = new Promise((resolve) =>
      socket.on("close", () => {
        this.#closed = true;
        wake();
        resolve();
      }),
    );
  }

  static open<T>(host: string, port: number, parse: (chunk: Buffer) => T[]): Promise<TcpLink<T>> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port, noDelay: true });
      socket.once("connect", () => resolve(new TcpLink(socket, parse)));
      socket.once("error", reject);
    });
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  write(bytes: Uint8Array | string): Promise<void> {
    return new Promise((resolve) => {
      if (this.#closed) return resolve();
      this.#socket.write(bytes, () => resolve());
    });
  }

  /** The next item, or undefined once the server closed the connection. */
  async next(timeoutMs: number): Promise<T | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.#items.length === 0) {
      if (this.#problem) throw new Error(`unreadable reply: ${this.#problem}`);
      if (this.#closed) return undefined;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no reply within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.#items.shift();
  }

  /** True if the server closes the connection within `timeoutMs`. */
  async closesWithin(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      this.closed.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    return closed;
  }

  close(): void {
    this.#socket.destroy();
  }

  /** Half-closes: no more bytes from us, replies still welcome. */
  end(): void {
    this.#socket.end();
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
