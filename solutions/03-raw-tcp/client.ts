import net from "node:net";
import { BatchedWriter } from "../../shared/batch-writes.js";
import { calculator } from "../../shared/calculator.js";
import { canceled, timerDelay } from "../../shared/call-options.js";
import { RpcError } from "../../shared/rpc-error.js";
import {
  decodeReply,
  encodeCall,
  wireToError,
} from "../../solutions/02-call-id-and-serialization/messages.js";
import { Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import { createStub, type Remote } from "../../solutions/02-call-id-and-serialization/stub.js";
import { DEFAULT_MAX_FRAME_BYTES, encodeFrame, FrameDecoder, type Frame } from "./framing.js";
import { PendingCalls, type CallOptions } from "./pending-calls.js";

/**
 * The RPC client over raw TCP: one long-lived connection, many calls in flight on it at once.
 * Each call gets a request ID; the reply carrying that ID settles that call, whatever order
 * the replies come back in.
 */

/** "tcp://127.0.0.1:4242", a URL, or { host, port }. */
export type Address = string | URL | { host: string; port: number };

export interface ConnectOptions {
  /**
   * The client's call-ID table. It must give every method the ID the server gives it; by
   * default both sides build it from the course's calculator.
   */
  registry?: Registry;
  maxFrameBytes?: number;
  /** Give up connecting after this many milliseconds. */
  timeoutMs?: number;
}

export const DEFAULT_PORT = 4242;

export function parseAddress(address: Address): { host: string; port: number } {
  if (typeof address === "object" && !(address instanceof URL)) return address;
  const url = typeof address === "string" ? new URL(address) : address;
  if (url.protocol !== "tcp:") {
    throw new RpcError("invalid_argument", `expected a tcp:// address, got ${url.href}`);
  }
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1") || "127.0.0.1", // [::1] → ::1
    port: url.port ? Number(url.port) : DEFAULT_PORT,
  };
}

export async function connect(address: Address, options: ConnectOptions = {}): Promise<TcpClient> {
  const { host, port } = parseAddress(address);
  const socket = net.connect({ host, port });
  await new Promise<void>((resolve, reject) => {
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            const late = new RpcError(
              "deadline_exceeded",
              `could not connect to ${host}:${port} within ${options.timeoutMs} ms`,
            );
            socket.destroy();
            reject(late);
          }, timerDelay(options.timeoutMs));
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.off("error", onError);
      resolve();
    });
    const onError = (error: Error) => {
      clearTimeout(timer);
      const { code, message } = RpcError.from(error);
      reject(new RpcError(code, `${host}:${port}: ${message}`, { cause: error }));
    };
    socket.once("error", onError);
  });
  return new TcpClient(socket, options);
}

/** "host:port" of the other end, or "the server" for a socket not connected yet. */
function describePeer(socket: net.Socket): string {
  return socket.remoteAddress === undefined
    ? "the server"
    : `${socket.remoteAddress}:${socket.remotePort}`;
}

export class TcpClient {
  readonly #socket: net.Socket;
  readonly #registry: Registry;
  readonly #maxFrameBytes: number;
  readonly #pending = new PendingCalls<number>();
  readonly #batch: BatchedWriter;
  #nextRequestId = 1;
  /** Set once the connection is gone; every later call fails with it. */
  #closed: RpcError | undefined;
  #socketError: Error | undefined;

  constructor(socket: net.Socket, options: ConnectOptions = {}) {
    this.#socket = socket;
    this.#registry = options.registry ?? Registry.fromService(calculator);
    this.#maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    socket.setNoDelay(true); // pipelined calls are small writes: no waiting for Nagle
    this.#batch = new BatchedWriter(socket);
    // Read now: once the socket has closed, remoteAddress and remotePort are undefined.
    const peer = describePeer(socket);
    const decoder = new FrameDecoder(this.#maxFrameBytes);
    socket.on("data", (chunk: Buffer) => {
      try {
        for (const frame of decoder.push(chunk)) this.#receive(frame);
      } catch (error) {
        this.#socketError = error as Error;
        socket.destroy(); // a reply too large: the stream cannot be followed any more
      }
    });
    socket.on("error", (error) => (this.#socketError = error));
    socket.on("close", () => {
      const cause = this.#socketError;
      this.#closed ??= new RpcError(
        "unavailable",
        `the connection to ${peer} closed` + (cause ? `: ${cause.message}` : ""),
        { cause },
      );
      this.#pending.rejectAll(this.#closed);
    });
  }

  /** Calls waiting for their reply. */
  get inFlight(): number {
    return this.#pending.size;
  }

  /**
   * Not `async`: an async function would wrap the promise of wait() in a second promise, and
   * cost two more turns of the microtask queue, on every call. The catch keeps the contract of
   * one: whatever goes wrong before the call is sent comes back as a rejected promise.
   */
  call(method: string, args: unknown[], options: CallOptions = {}): Promise<unknown> {
    try {
      if (this.#closed) throw this.#closed;
      // Not throwIfAborted(): that throws a DOMException, and callers expect an RpcError.
      if (options.signal?.aborted) throw canceled();
      const { id: callId } = this.#registry.byName(method);
      const requestId = this.#takeRequestId();
      const frame = encodeFrame(requestId, encodeCall({ callId, args }), this.#maxFrameBytes);
      const reply = this.#pending.wait(requestId, options); // waiting before the reply can come
      this.#write(frame);
      return reply;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** `const calc = client.stub<Calculator>(); await calc.add(1, 2)`. */
  stub<T extends object>(): Remote<T> {
    return createStub<T>((method, args) => this.call(method, args));
  }

  /** Fails the calls still waiting, closes the connection, and resolves once it is closed. */
  close(): Promise<void> {
    this.#closed ??= new RpcError("canceled", "the client was closed");
    this.#pending.rejectAll(this.#closed);
    if (this.#socket.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.#socket.once("close", () => resolve());
      // Our FIN, then the socket goes: nothing is left waiting for the server to finish.
      this.#socket.end(() => this.#socket.destroy());
    });
  }

  #receive({ requestId, body }: Frame): void {
    try {
      const reply = decodeReply(body);
      if (reply.ok) this.#pending.resolve(requestId, reply.result);
      else this.#pending.reject(requestId, wireToError(reply.error));
    } catch (error) {
      // The frame was whole, so the stream is still in step: only this call fails.
      this.#pending.reject(requestId, RpcError.from(error));
    }
  }

  /**
   * One write per frame, header and body together. The calls made in the same tick of the
   * event loop leave in one batch (shared/batch-writes.ts): one buffer, one system call.
   */
  #write(frame: Uint8Array): void {
    this.#batch.write(frame);
  }

  /** 1, 2, 3, ... wrapping around before 2^32, skipping an ID still waiting (rare, but real). */
  #takeRequestId(): number {
    let id: number;
    do {
      id = this.#nextRequestId;
      this.#nextRequestId = id === 0xffff_ffff ? 1 : id + 1;
    } while (this.#pending.has(id));
    return id;
  }
}
