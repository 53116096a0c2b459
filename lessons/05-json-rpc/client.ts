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

/** The reply's JSON, or undefined when the server had nothing to say (204, or an empty 200). */
function readReply(reply: HttpReply): unknown {
  const text = reply.body.toString("utf8");
  let parsed: unknown;
  if (text.trim() !== "") {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (reply.status === 200 || reply.status === 204) {
    if (text.trim() !== "" && parsed === undefined) {
      throw new RpcError("bad_message", "the reply is not valid JSON");
    }
    return parsed;
  }
  // Refused at the HTTP level (413, 405, a proxy's 502...): use the server's words if it sent any.
  const code =
    reply.status === 413 ? "too_large" : reply.status >= 500 ? "unavailable" : "bad_message";
  const described = parsed === undefined ? undefined : parseObject(parsed);
  const why =
    described && (described.type as string) === "error"
      ? toRpcError((described.payload as { error: { code: number; message: string } }).error)
          .message
      : `HTTP ${reply.status}`;
  throw new RpcError(code, why);
}

/** jsonrpc-lite refuses to build a request with an empty method or params that are not structured. */
function build<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    const why = (error as { message?: string }).message ?? String(error);
    throw new RpcError("invalid_argument", `cannot build the request: ${why}`);
  }
}

/** One reply object: the result, or the error as an RpcError. */
function settle(reply: unknown, id: ID): unknown {
  const parsed = parseObject(reply);
  const type = parsed.type as string;
  if (type === "error") {
    throw toRpcError((parsed.payload as { error: { code: number; message: string } }).error);
  }
  if (type !== "success") throw new RpcError("bad_message", "the reply is not a JSON-RPC response");
  const success = parsed.payload as { id: ID; result: unknown };
  if (success.id !== id) {
    throw new RpcError("bad_message", `a reply for id ${String(success.id)}, expected ${id}`);
  }
  return success.result;
}

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
   * Calls a method and resolves with its result; a JSON-RPC error rejects as an RpcError.
   * Each call takes a new id (`this.#nextId`); jsonrpc-lite's `request` builds the message
   * (inside `build`, which turns its refusals into "invalid_argument"), `#post` sends it and
   * `readReply` reads the answer. A call expects exactly one reply object, for its own id:
   * anything else (no body, an array) is "bad_message". `settle` does the rest.
   */
  async call(_method: string, _params?: Params, _options: CallOptions = {}): Promise<unknown> {
    return todo("task 5: call");
  }

  /**
   * Sends a notification (jsonrpc-lite's `notification`: no id): the server runs it and
   * answers nothing, not even an error. Resolves once the server has taken it.
   */
  async notify(_method: string, _params?: Params, _options: CallOptions = {}): Promise<void> {
    return todo("task 5: notify");
  }

  /**
   * Sends many calls in one request. Resolves with one outcome per entry, in the entries'
   * order, whatever order the server answered in: the server matches replies to calls only by
   * id. A notification's outcome is `{ status: "fulfilled", value: undefined }`; a call the
   * reply says nothing about is rejected with "bad_message"; one error object instead of an
   * array (a parse error, a batch too long) rejects every call with it. No entries: resolve
   * to [] without sending anything (an empty batch is an invalid request).
   */
  async batch(
    _entries: BatchEntry[],
    _options: CallOptions = {},
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
