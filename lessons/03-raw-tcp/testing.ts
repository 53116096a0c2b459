import net from "node:net";
import { afterEach } from "vitest";
import {
  decodeReply,
  encodeCall,
  type Reply,
} from "../../solutions/02-call-id-and-serialization/messages.js";
import { Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import { listenOnFreePort } from "../../shared/testing/servers.js";
import { encodeFrame, FrameDecoder } from "./framing.js";
import { createServer, type ServerOptions } from "./server.js";

/** Helpers for this lesson's tests: real sockets on loopback, all closed after each test. */

const cleanups: (() => Promise<unknown> | void)[] = [];

/** Registers something to close after the test, newest first. */
export function later(cleanup: () => Promise<unknown> | void): void {
  cleanups.push(cleanup);
}

afterEach(async () => {
  const failures: unknown[] = [];
  while (cleanups.length) await Promise.resolve(cleanups.pop()!()).catch((e) => failures.push(e));
  if (failures.length) throw failures[0];
});

/** A gate a test opens by hand: a "slow" method that finishes exactly when the test says. */
export function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/** The lesson's server on a free port, with its log lines and its side of every connection. */
export async function startServer(service: object, options: ServerOptions = {}) {
  const log: string[] = [];
  const server = createServer(service, { log: (line) => log.push(line), ...options });
  const accepted: net.Socket[] = [];
  server.on("connection", (socket: net.Socket) => accepted.push(socket));
  const running = await listenOnFreePort(server);
  later(() => running.close());
  return { ...running, log, accepted };
}

/**
 * A client written with nothing but a socket, to send the server exactly the bytes a test
 * wants: whole frames, broken frames, garbage.
 */
export class RawPeer {
  readonly closed: Promise<void>;
  readonly #decoder = new FrameDecoder();
  readonly #replies = new Map<number, (reply: Reply) => void>();
  readonly #registry: Registry;

  private constructor(
    readonly socket: net.Socket,
    service: object,
  ) {
    this.#registry = Registry.fromService(service);
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
    socket.on("error", () => {}); // a reset is what some tests expect; 'close' follows
    socket.on("data", (chunk: Buffer) => {
      for (const { requestId, body } of this.#decoder.push(chunk)) {
        this.#replies.get(requestId)?.(decodeReply(body));
      }
    });
  }

  static async open(port: number, service: object = {}): Promise<RawPeer> {
    const socket = net.connect({ host: "127.0.0.1", port });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const peer = new RawPeer(socket, service);
    later(() => {
      socket.destroy();
      return peer.closed;
    });
    return peer;
  }

  send(bytes: Uint8Array | string): void {
    this.socket.write(bytes);
  }

  /** Sends one call frame under `requestId` and resolves with the reply that carries it. */
  call(requestId: number, method: string | number, args: unknown[]): Promise<Reply> {
    const callId = typeof method === "number" ? method : this.#registry.byName(method).id;
    const reply = new Promise<Reply>((resolve) => this.#replies.set(requestId, resolve));
    this.send(encodeFrame(requestId, encodeCall({ callId, args })));
    return reply;
  }
}
