import { Agent, request as httpRequest } from "node:http";
import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
import { createStub, type Remote } from "../../solutions/02-call-id-and-serialization/stub.js";
import { watchCall, type CallOptions } from "../../shared/call-options.js";
import { readBody } from "../../solutions/04-http/http-json.js";
import type { XmlRpcValue } from "./codec.js";
import { XmlRpcFault } from "./faults.js";
import { decodeResponse, encodeCall } from "./messages.js";

/**
 * An XML-RPC client over HTTP/1.1 keep-alive: one TCP connection serves call after call, and
 * calls in flight at the same time each get a connection of their own from the agent's pool.
 */

export interface XmlRpcClientOptions {
  /** Replies above this many bytes are refused with "too_large". */
  maxResponseBytes?: number;
  /** Elements nested deeper than this in a reply are refused. */
  maxDepth?: number;
}

export interface MulticallRequest {
  method: string;
  params?: unknown[];
}

/** Like Promise.allSettled: one entry per call, in order. */
export type MulticallResult =
  { status: "fulfilled"; value: XmlRpcValue } | { status: "rejected"; reason: RpcError };

export class XmlRpcClient {
  readonly url: URL;
  readonly #agent = new Agent({ keepAlive: true });
  readonly #maxResponseBytes: number;
  readonly #maxDepth: number | undefined;
  /** Where requests go, worked out once: given a URL object, node:http copies all its fields
   *  into a new options object on every request. */
  readonly #target: { host: string; port: string; path: string };

  constructor(
    url: string | URL,
    { maxResponseBytes = 16 * 1024 * 1024, maxDepth }: XmlRpcClientOptions = {},
  ) {
    this.url = new URL(url);
    if (this.url.protocol !== "http:") {
      throw new RpcError("invalid_argument", `XmlRpcClient speaks http:, not ${this.url.protocol}`);
    }
    this.#maxResponseBytes = maxResponseBytes;
    this.#maxDepth = maxDepth;
    this.#target = {
      host: this.url.hostname.replace(/^\[(.*)\]$/, "$1"), // an IPv6 hostname comes as "[::1]"
      port: this.url.port,
      path: this.url.pathname + this.url.search,
    };
  }

  /**
   * Calls a method: `encodeCall`, `#post` (which keeps the deadline and the signal), then
   * `decodeResponse` with this client's `maxDepth`. A reply that does not decode is
   * "bad_message" (with the reason); a fault rejects as an XmlRpcFault; otherwise the value.
   */
  async call(
    _method: string,
    _params: readonly unknown[] = [],
    _options: CallOptions = {},
  ): Promise<XmlRpcValue> {
    return todo("task 7: call");
  }

  /**
   * Many calls in one request: "system.multicall" with one param, the array of
   * { methodName, params }. The answer must hold one entry per call, in order: [value] is
   * fulfilled, { faultCode, faultString } rejected with an XmlRpcFault; any other shape, or a
   * wrong count, is "bad_message".
   */
  async multicall(
    _calls: readonly MulticallRequest[],
    _options: CallOptions = {},
  ): Promise<MulticallResult[]> {
    return todo("task 7: multicall");
  }

  /**
   * `const calc = client.stub<Calculator>(); await calc.add(1, 2)`: every method of the stub
   * is a `call` with these options (lesson 2's `createStub`).
   */
  stub<T extends object>(_options: CallOptions = {}): Remote<T> {
    return todo("task 7: stub");
  }

  /** Closes the pooled connections, so a script can exit. */
  close(): void {
    this.#agent.destroy();
  }

  /** One POST and its reply's text, within the call's deadline and signal. */
  #post(body: string, options: CallOptions): Promise<string> {
    // Most calls have neither a deadline nor a signal: they need no controller, no timer and
    // no listeners (together about 5% of a call's CPU).
    if (options.timeoutMs === undefined && options.signal === undefined) return this.#send(body);
    // Aborting the controller destroys the request's socket, so a late reply can never land on
    // a connection the pool hands to another call.
    const controller = new AbortController();
    const stop = watchCall(options, (reason) => controller.abort(reason));
    return this.#send(body, controller.signal).finally(stop);
  }

  /** One POST and its reply's text; `abort` (if any) ends it early with its reason. */
  #send(body: string, abort?: AbortSignal): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const fail = (error: unknown) =>
        reject(abort?.aborted ? (abort.reason as RpcError) : RpcError.from(error));
      if (abort?.aborted) return fail(undefined);
      const { host, port, path } = this.#target;
      const request = httpRequest(
        {
          host,
          port,
          path,
          method: "POST",
          agent: this.#agent,
          signal: abort,
          headers: {
            "Content-Type": "text/xml",
            "Content-Length": Buffer.byteLength(body),
          },
        },
        (response) => {
          readBody(response, this.#maxResponseBytes).then(
            (reply) => {
              const text = reply.toString("utf8");
              const status = response.statusCode ?? 0;
              if (status === 200) return resolve(text);
              const code =
                status === 413 ? "too_large" : status >= 500 ? "unavailable" : "bad_message";
              reject(new RpcError(code, `HTTP ${status} from ${this.url.href}: ${text.trim()}`));
            },
            (error: unknown) => {
              request.destroy(); // a reply over the limit: stop downloading it
              const reason = RpcError.from(error);
              fail(
                reason.code === "too_large"
                  ? new RpcError("too_large", `the reply is over ${this.#maxResponseBytes} bytes`)
                  : error,
              );
            },
          );
        },
      );
      request.on("error", fail);
      request.end(body);
    });
  }
}
