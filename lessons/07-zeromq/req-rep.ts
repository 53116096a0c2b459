import { decode, encode } from "@msgpack/msgpack";
import { Reply, Request } from "zeromq";
import { RpcError } from "../../shared/rpc-error.js";
import { Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import { todo } from "../../shared/todo.js";

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
  return todo("task 1: serveReqRep");
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
    return todo("task 1: ReqRepClient.call");
  }

  close(): void {
    this.#socket.close();
  }

  #open(): Request {
    const socket = new Request({ linger: 0 });
    socket.connect(this.endpoint);
    return socket;
  }
}
