import { Agent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { watchCall, type CallOptions } from "../../shared/call-options.js";
import { RpcError, type RpcErrorCode } from "../../shared/rpc-error.js";

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
 * One request, one reply. The agent decides whether the TCP connection is reused; the body is
 * sent with its Content-Length in the same write as the headers.
 */
export function sendHttp(exchange: HttpExchange): Promise<HttpReply> {
  const { url, agent, body, timeoutMs, signal, maxBodyBytes = 16 * 1024 * 1024 } = exchange;
  return new Promise((resolve, reject) => {
    let settled = false;
    let stopWatching = () => {};
    const finish = (error: RpcError | undefined, reply?: HttpReply) => {
      if (settled) return;
      settled = true;
      stopWatching();
      if (error) {
        request.destroy(); // the socket is in an unknown state: never give it back to the agent
        reject(error);
      } else resolve(reply!);
    };

    // Host, port and path are named here because, handed a URL object, node:http copies every
    // field of it into a fresh options object on every call: a few µs each time.
    const request = httpRequest({
      host: url.hostname.replace(/^\[(.*)\]$/, "$1"), // an IPv6 hostname comes as "[::1]"
      port: url.port,
      path: url.pathname + url.search,
      method: exchange.method,
      agent,
      headers: exchange.headers,
    });
    if (body !== undefined) request.setHeader("Content-Length", Buffer.byteLength(body));
    request.setNoDelay(true); // a small request must not wait for Nagle's algorithm
    request.on("error", (error) => finish(RpcError.from(error)));
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) {
          finish(new RpcError("too_large", `the reply is over ${maxBodyBytes} bytes`));
        } else chunks.push(chunk);
      });
      response.on("error", (error) => finish(RpcError.from(error)));
      response.on("end", () => {
        const body = Buffer.concat(chunks, size);
        finish(undefined, { status: response.statusCode ?? 0, headers: response.headers, body });
      });
    });

    // Fails at once, before anything is sent, when the signal has already aborted.
    stopWatching = watchCall({ timeoutMs, signal }, (reason) => finish(reason));
    if (!settled) request.end(body);
  });
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
    // keepAlive: after a reply, the connection goes back to the agent's pool for the next
    // request, instead of a TCP handshake (and a socket in TIME_WAIT) for every call.
    this.#agent = agent ?? new Agent({ keepAlive: true });
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
