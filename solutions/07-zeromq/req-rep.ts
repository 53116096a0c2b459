import { decode, encode } from "@msgpack/msgpack";
import { Reply, Request } from "zeromq";
import { RpcError, type RpcErrorCode } from "../../shared/rpc-error.js";
import { Registry } from "../../solutions/02-call-id-and-serialization/registry.js";

/**
 * The simplest ZeroMQ pair. A REP socket answers one request at a time; a REQ socket must
 * alternate strictly: send, receive, send, receive. One msgpack frame each way:
 *
 *   request   [method, args]
 *   reply     ["OK", result]  or  ["ERR", code, message, remoteName]
 */

export interface RunningReqRep {
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function serveReqRep(
  service: object | Registry,
  endpoint = "tcp://127.0.0.1:*",
): Promise<RunningReqRep> {
  const registry = service instanceof Registry ? service : Registry.fromService(service);
  const socket = new Reply({ linger: 0 });
  await socket.bind(endpoint);

  const answer = async (request: Buffer | undefined): Promise<unknown[]> => {
    try {
      let message: unknown;
      try {
        message = decode(request ?? Buffer.alloc(0));
      } catch {
        throw new RpcError("bad_message", "a request must be msgpack");
      }
      if (!Array.isArray(message) || typeof message[0] !== "string" || !Array.isArray(message[1])) {
        throw new RpcError("bad_message", "a request must be [method, args]");
      }
      const [method, args] = message as [string, unknown[]];
      return ["OK", await registry.byName(method).fn(...args)];
    } catch (reason) {
      const error =
        reason instanceof RpcError || !(reason instanceof Error)
          ? RpcError.from(reason)
          : new RpcError("remote_error", reason.message, { remoteName: reason.name });
      return ["ERR", error.code, error.message, error.remoteName ?? null];
    }
  };

  // One request at a time: a REP socket cannot take the next request before it has replied,
  // even to garbage, so every request gets an answer.
  const serving = (async () => {
    for await (const [request] of socket) await socket.send(encode(await answer(request)));
  })();

  return {
    endpoint: socket.lastEndpoint ?? endpoint,
    async close() {
      socket.close();
      await serving;
    },
  };
}

/**
 * A REQ client. Calls wait their turn, because a REQ socket cannot send while it waits. If a
 * reply never comes, the socket is stuck for good: it may not send again until it receives.
 * So after a timeout the client throws the socket away and opens a fresh one ("lazy pirate").
 */
export class ReqRepClient {
  #socket: Request;
  #turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly endpoint: string) {
    this.#socket = this.#open();
  }

  call(method: string, args: unknown[] = [], { timeoutMs = 5_000 } = {}): Promise<unknown> {
    const result = this.#turn.then(() => this.#callNow(method, args, timeoutMs));
    this.#turn = result.catch(() => undefined);
    return result;
  }

  close(): void {
    this.#socket.close();
  }

  #open(): Request {
    const socket = new Request({ linger: 0 });
    socket.connect(this.endpoint);
    return socket;
  }

  async #callNow(method: string, args: unknown[], timeoutMs: number): Promise<unknown> {
    const socket = this.#socket;
    socket.receiveTimeout = timeoutMs;
    await socket.send(encode([method, args]));
    let reply: Buffer | undefined;
    try {
      [reply] = await socket.receive();
    } catch (error) {
      // EAGAIN: nothing within receiveTimeout. This socket can never send again; replace it.
      socket.close();
      this.#socket = this.#open();
      throw new RpcError("deadline_exceeded", `no reply within ${timeoutMs} ms`, { cause: error });
    }
    const message = decode(reply ?? Buffer.alloc(0)) as unknown[];
    if (message[0] === "OK") return message[1];
    const [, code, text, remoteName] = message as [string, RpcErrorCode, string, string | null];
    throw new RpcError(code, text, remoteName ? { remoteName } : {});
  }
}
