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
  // Task 1: build a Registry (Registry.fromService, unless `service` is one already), open a
  // new Reply({ linger: 0 }), await socket.bind(endpoint), then loop in the background:
  //   for await (const [request] of socket) await socket.send(encode(await answer(request)));
  // where answer() decodes [method, args], calls registry.byName(method).fn(...args), and
  // returns ["OK", result] or ["ERR", code, message, remoteName]. Every request gets a reply,
  // garbage too (code "bad_message"): a REP socket cannot receive again before it sends.
  // An Error that is not an RpcError becomes code "remote_error" with remoteName error.name.
  // Return { endpoint: socket.lastEndpoint, close() }; close() closes the socket and waits
  // for the loop to end.
  void [service, endpoint, decode, encode, Reply, RpcError, Registry];
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
    // Task 1: calls wait their turn: chain this one after this.#turn (as a queue would). Then,
    // on this.#socket: set receiveTimeout = timeoutMs, send encode([method, args]), and await
    // receive(). If receive() rejects (nothing in time) the socket is stuck for good: close
    // it, open a fresh one (this.#socket = this.#open()), throw RpcError("deadline_exceeded").
    // Decode the reply: ["OK", result] → result; ["ERR", code, message, remoteName] → throw
    // new RpcError(code, message, remoteName ? { remoteName } : {}).
    void [method, args, timeoutMs, this.#turn];
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
