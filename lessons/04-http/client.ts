import { Agent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { watchCall, type CallOptions } from "../../shared/call-options.js";
import { RpcError, type RpcErrorCode } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";

/**
 * The client side of RPC over HTTP. `sendHttp` is one HTTP exchange with a deadline; the
 * HttpRpcClient turns method calls into GET or POST requests on top of it (lesson 5 reuses
 * `sendHttp` for JSON-RPC).
 */

/** Deadline and cancel, as every client of the course takes them (shared/call-options.ts). */
export type { CallOptions };

export interface HttpExchange extends CallOptions {
  method: "GET" | "POST";
  url: URL;
  agent: Agent;
  headers?: Record<string, string>;
  /** A string goes out in the same chunk as the headers; a Buffer as a second chunk. */
  body?: string | Buffer;
  /** The largest reply accepted, in bytes. */
  maxBodyBytes?: number;
}

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Task 4. One request, one reply: resolves with `{ status, headers, body }` once the whole
 * reply is in (only a reply read to its end lets the agent reuse the connection). The agent
 * decides whether the TCP connection is reused; the body is sent with its Content-Length (in
 * bytes, not characters) in the same write as the headers, with `setNoDelay(true)`. A reply
 * over `maxBodyBytes` is RpcError "too_large"; a socket error is `RpcError.from(error)` (a
 * refused connection becomes "unavailable"). The deadline and the signal are `watchCall`'s
 * (shared/call-options.ts): "deadline_exceeded", "canceled" (at once, sending nothing, for a
 * signal already aborted), `Infinity` as no deadline. A call that fails destroys its request:
 * a socket in an unknown state must not go back to the agent.
 */
export function sendHttp(_exchange: HttpExchange): Promise<HttpReply> {
  return todo("task 4: sendHttp");
}

export interface HttpRpcClientOptions {
  /** Share an agent between clients; by default each client has its own keep-alive agent. */
  agent?: Agent;
}

/** Reads this lesson's JSON replies: `{"result": ...}` or `{"error": {code, message, name?}}`. */
export function resultOf(reply: HttpReply): unknown {
  let parsed: { result?: unknown; error?: { code?: string; message?: string; name?: string } };
  try {
    parsed = JSON.parse(reply.body.toString("utf8")) as typeof parsed;
  } catch {
    // Not our server talking (a proxy's HTML error page, say): report the status.
    throw new RpcError("bad_message", `HTTP ${reply.status} with a body that is not JSON`);
  }
  if (reply.status === 200 && parsed !== null && "result" in parsed) return parsed.result;
  const error = parsed?.error;
  if (typeof error?.code !== "string" || typeof error.message !== "string") {
    throw new RpcError("bad_message", `HTTP ${reply.status} without a result or an error`);
  }
  throw new RpcError(error.code as RpcErrorCode, error.message, {
    ...(error.name ? { remoteName: error.name } : {}),
  });
}

export class HttpRpcClient {
  readonly #base: URL;
  readonly #rpcUrl: URL;
  readonly #agent: Agent;
  readonly #ownsAgent: boolean;
  #nextId = 1;

  constructor(baseUrl: string | URL, { agent }: HttpRpcClientOptions = {}) {
    this.#base = new URL(baseUrl);
    this.#rpcUrl = new URL("/rpc", this.#base); // parsed once, not on every call
    // Task 4: twenty calls should need one TCP handshake, not twenty.
    this.#agent = agent ?? new Agent();
    this.#ownsAgent = agent === undefined;
  }

  /** GET /add?a=1&b=2 */
  async get(method: string, a: number, b: number, options: CallOptions = {}): Promise<unknown> {
    const url = new URL(`/${encodeURIComponent(method)}`, this.#base);
    url.searchParams.set("a", String(a));
    url.searchParams.set("b", String(b));
    return resultOf(await sendHttp({ method: "GET", url, agent: this.#agent, ...options }));
  }

  /** POST /rpc {"method": ..., "params": [...], "id": n} */
  async call(method: string, params: unknown[], options: CallOptions = {}): Promise<unknown> {
    const body = JSON.stringify({ method, params, id: this.#nextId++ });
    const reply = await sendHttp({
      method: "POST",
      url: this.#rpcUrl,
      agent: this.#agent,
      headers: { "Content-Type": "application/json" },
      body,
      ...options,
    });
    return resultOf(reply);
  }

  /** Closes the pooled connections, so the process can exit and the server can stop. */
  close(): void {
    if (this.#ownsAgent) this.#agent.destroy();
  }
}
