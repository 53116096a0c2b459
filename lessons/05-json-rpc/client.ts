import { Agent } from "node:http";
import { notification, parseObject, request, type ID, type RpcParams } from "jsonrpc-lite";
import { createStub, type Remote } from "../../solutions/02-call-id-and-serialization/stub.js";
import { sendHttp, type CallOptions, type HttpReply } from "../../solutions/04-http/client.js";
import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
import { toRpcError } from "./protocol.js";

/**
 * A JSON-RPC 2.0 client over HTTP: jsonrpc-lite writes the request objects and sorts out the
 * replies; lesson 4's `sendHttp` carries them over a keep-alive connection.
 */

export type { CallOptions };

/** Positional (`[1, 2]`) or named (`{ a: 1, b: 2 }`). */
export type Params = unknown[] | Record<string, unknown>;

export interface BatchEntry {
  method: string;
  params?: Params;
  /** A notification: sent in the batch, never answered. */
  notification?: boolean;
}

export interface JsonRpcClientOptions {
  /** Share an agent between clients; by default each client has its own keep-alive agent. */
  agent?: Agent;
}

/**
 * What an HTTP reply means to a JSON-RPC client: a 200 (or a 204) carries the reply's JSON, or
 * nothing (an empty body: the server had nothing to say, as for a notification); a 200 whose
 * body is not JSON is "bad_message". Any other status is a refusal at the HTTP level: 413 is
 * "too_large", 5xx "unavailable", anything else "bad_message", with the server's own words
 * when its body is a JSON-RPC error object. What the connection itself can say (no server,
 * `timeoutMs`, `signal`) `sendHttp` already says, as everywhere in the course.
 */
export class JsonRpcClient {
  readonly #url: URL;
  readonly #agent: Agent;
  readonly #ownsAgent: boolean;
  #nextId = 1;

  constructor(url: string | URL, { agent }: JsonRpcClientOptions = {}) {
    this.#url = new URL(url);
    this.#agent = agent ?? new Agent({ keepAlive: true });
    this.#ownsAgent = agent === undefined;
  }

  #post(body: string, options: CallOptions): Promise<HttpReply> {
    return sendHttp({
      method: "POST",
      url: this.#url,
      agent: this.#agent,
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body, // a string: it leaves in one chunk with the headers
      ...options,
    });
  }

  /**
   * Calls a method and resolves with its result; a JSON-RPC error rejects as the RpcError
   * `toRpcError` makes of it. Each call takes an id of its own (`this.#nextId`). jsonrpc-lite's
   * `request` builds the message, and refuses an empty method or params that are neither an
   * array nor an object: that is "invalid_argument", and nothing is sent. A call expects
   * exactly one response object, for its own id: no body, an array, a reply for another id or
   * one that is not a JSON-RPC response is "bad_message".
   */
  async call(method: string, params?: Params, options: CallOptions = {}): Promise<unknown> {
    return todo("task 5: call");
  }

  /**
   * Sends a notification (jsonrpc-lite's `notification`: no id): the server runs it and
   * answers nothing, not even an error. Resolves once the server has taken it.
   */
  async notify(method: string, params?: Params, options: CallOptions = {}): Promise<void> {
    return todo("task 5: notify");
  }

  /**
   * Sends many calls in one request. Resolves with one outcome per entry, in the entries'
   * order, whatever order the server answered in: replies match calls only by id. A call's
   * outcome is settled as `call` settles it; a call the reply says nothing about is rejected
   * with "bad_message"; a notification's outcome is `{ status: "fulfilled", value: undefined }`.
   * One error object instead of an array means the server refused the whole batch and ran none
   * of it (a parse error, a batch too long): every entry, notifications included, is rejected
   * with it. No entries: resolve to [] without sending anything (an empty batch is invalid).
   */
  async batch(
    entries: BatchEntry[],
    options: CallOptions = {},
  ): Promise<PromiseSettledResult<unknown>[]> {
    return todo("task 5: batch");
  }

  /**
   * A stub: `client.stub<Calculator>().add(1, 2)` is `client.call("add", [1, 2])`. Lesson 2's
   * `createStub` already turns method calls into calls of one function.
   */
  stub<T extends object>(): Remote<T> {
    return todo("task 5: stub");
  }

  /** Closes the pooled connections, so the process can exit and the server can stop. */
  close(): void {
    if (this.#ownsAgent) this.#agent.destroy();
  }
}
