import { Agent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { RpcError, type RpcErrorCode } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";

/**
 * The client side of RPC over HTTP. `sendHttp` is one HTTP exchange with a deadline; the
 * HttpRpcClient turns method calls into GET or POST requests on top of it (lesson 5 reuses
 * `sendHttp` for JSON-RPC).
 */

export interface CallOptions {
  /** Reject with "deadline_exceeded" after this many milliseconds. */
  timeoutMs?: number;
  /** Reject with "canceled" when this signal aborts. */
  signal?: AbortSignal;
}

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
 * One request, one reply. The agent decides whether the TCP connection is reused; the body is
 * sent with its Content-Length in the same write as the headers.
 */
export function sendHttp(exchange: HttpExchange): Promise<HttpReply> {
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
  readonly #agent: Agent;
  readonly #ownsAgent: boolean;
  #nextId = 1;

  constructor(baseUrl: string | URL, { agent }: HttpRpcClientOptions = {}) {
    this.#base = new URL(baseUrl);
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
    const body = Buffer.from(JSON.stringify({ method, params, id: this.#nextId++ }), "utf8");
    const reply = await sendHttp({
      method: "POST",
      url: new URL("/rpc", this.#base),
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
