import { Agent, request as httpRequest } from "node:http";
import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
import { createStub, type Remote } from "../../solutions/02-call-id-and-serialization/stub.js";
import type { CallOptions } from "../../solutions/03-raw-tcp/pending-calls.js";
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

  /** Calls a method; a fault rejects with an XmlRpcFault (an RpcError). */
  async call(
    method: string,
    params: readonly unknown[] = [],
    options: CallOptions = {},
  ): Promise<XmlRpcValue> {
    // Task 7: encodeCall, this.#post(body, options), then decodeResponse (with
    // this.#maxDepth). A reply that does not decode → RpcError "bad_message"; a fault → throw
    // new XmlRpcFault(fault); otherwise return the value.
    void [method, params, options, encodeCall, decodeResponse, XmlRpcFault];
    return todo("task 7: call");
  }

  /** Many calls in one request (system.multicall); each settles on its own. */
  async multicall(
    calls: readonly MulticallRequest[],
    options: CallOptions = {},
  ): Promise<MulticallResult[]> {
    // Task 7: call "system.multicall" with one param, the array of { methodName, params }.
    // The answer has one entry per call: [value] → { status: "fulfilled", value };
    // { faultCode, faultString } → { status: "rejected", reason: new XmlRpcFault(...) };
    // anything else (or a wrong count) → RpcError "bad_message".
    void [calls, options];
    return todo("task 7: multicall");
  }

  /** `const calc = client.stub<Calculator>(); await calc.add(1, 2)`. */
  stub<T extends object>(options: CallOptions = {}): Remote<T> {
    // Task 7: createStub<T>(invoke), where invoke calls this.call with the options.
    void [options, createStub];
    return todo("task 7: stub");
  }

  /** Closes the pooled connections, so a script can exit. */
  close(): void {
    this.#agent.destroy();
  }

  #post(body: string, { timeoutMs, signal }: CallOptions): Promise<string> {
    // Most calls have neither a deadline nor a signal: they need no controller, no timer and
    // no listeners (together about 5% of a call's CPU).
    if (timeoutMs === undefined && signal === undefined) return this.#send(body);

    // One controller for both ways a call can end early; aborting it destroys the request's
    // socket, so a late reply can never land on a connection the pool hands to another call.
    const controller = new AbortController();
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(
            () =>
              controller.abort(
                new RpcError("deadline_exceeded", `no reply within ${timeoutMs} ms`),
              ),
            timeoutMs,
          );
    const onAbort = () => controller.abort(new RpcError("canceled", "the call was canceled"));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
    return this.#send(body, controller.signal).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    });
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
          const chunks: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > this.#maxResponseBytes) {
              request.destroy();
              reject(
                new RpcError("too_large", `the reply is over ${this.#maxResponseBytes} bytes`),
              );
            } else chunks.push(chunk);
          });
          response.on("error", fail);
          response.on("end", () => {
            const text = Buffer.concat(chunks, size).toString("utf8");
            const status = response.statusCode ?? 0;
            if (status === 200) return resolve(text);
            const code =
              status === 413 ? "too_large" : status >= 500 ? "unavailable" : "bad_message";
            reject(new RpcError(code, `HTTP ${status} from ${this.url.href}: ${text.trim()}`));
          });
        },
      );
      request.on("error", fail);
      request.end(body);
    });
  }
}
