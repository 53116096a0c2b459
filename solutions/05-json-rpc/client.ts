import { Agent } from "node:http";
import { notification, parseObject, request, type ID, type RpcParams } from "jsonrpc-lite";
import { createStub, type Remote } from "../../solutions/02-call-id-and-serialization/stub.js";
import { sendHttp, type CallOptions, type HttpReply } from "../../solutions/04-http/client.js";
import { RpcError } from "../../shared/rpc-error.js";
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
 * The reply's JSON, or undefined. What an HTTP reply means to a JSON-RPC client: a 200 (or a
 * 204) carries the reply's JSON, or nothing (an empty body: the server had nothing to say, as
 * for a notification); a 200 whose body is not JSON is "bad_message". Any other status is a
 * refusal at the HTTP level: 413 is "too_large", 5xx "unavailable", anything else
 * "bad_message", with the server's own words when its body is a JSON-RPC error object. What
 * the connection itself can say (no server, `timeoutMs`, `signal`) `sendHttp` already says,
 * as everywhere in the course.
 */
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
   * Calls a method and resolves with its result; a JSON-RPC error rejects as the RpcError
   * `toRpcError` makes of it. Each call takes an id of its own (`this.#nextId`). jsonrpc-lite's
   * `request` builds the message, and refuses an empty method or params that are neither an
   * array nor an object: that is "invalid_argument", and nothing is sent. A call expects
   * exactly one response object, for its own id: no body, an array, a reply for another id or
   * one that is not a JSON-RPC response is "bad_message".
   */
  async call(method: string, params?: Params, options: CallOptions = {}): Promise<unknown> {
    const id = this.#nextId++;
    const reply = readReply(
      await this.#post(build(() => request(id, method, params as RpcParams)).serialize(), options),
    );
    if (reply === undefined || Array.isArray(reply)) {
      throw new RpcError("bad_message", "expected one reply object");
    }
    return settle(reply, id);
  }

  /**
   * Sends a notification (jsonrpc-lite's `notification`: no id): the server runs it and
   * answers nothing, not even an error. Resolves once the server has taken it.
   */
  async notify(method: string, params?: Params, options: CallOptions = {}): Promise<void> {
    const message = build(() => notification(method, params as RpcParams));
    readReply(await this.#post(message.serialize(), options));
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
    if (entries.length === 0) return []; // an empty batch is an invalid request: don't send it
    const ids = entries.map((entry) => (entry.notification ? undefined : this.#nextId++));
    const body = entries.map((entry, i) => {
      const params = entry.params as RpcParams;
      const id = ids[i];
      return build(() =>
        id === undefined ? notification(entry.method, params) : request(id, entry.method, params),
      );
    });
    const reply = readReply(await this.#post(JSON.stringify(body), options));

    // The server may answer in any order: match replies to calls by id.
    const byId = new Map<unknown, unknown>();
    let refusal: RpcError | undefined;
    if (Array.isArray(reply)) {
      for (const item of reply) byId.set((item as { id?: unknown } | null)?.id, item);
    } else if (reply !== undefined) {
      // One error object for the whole batch (e.g. a parse error): every call failed with it.
      refusal = new RpcError("bad_message", "the server refused the whole batch");
      try {
        settle(reply, null);
      } catch (error) {
        refusal = RpcError.from(error);
      }
    }
    return ids.map((id): PromiseSettledResult<unknown> => {
      if (refusal) return { status: "rejected", reason: refusal }; // nothing ran
      if (id === undefined) return { status: "fulfilled", value: undefined };
      if (!byId.has(id)) {
        const reason = new RpcError("bad_message", `the batch reply has nothing for id ${id}`);
        return { status: "rejected", reason };
      }
      try {
        return { status: "fulfilled", value: settle(byId.get(id), id) };
      } catch (error) {
        return { status: "rejected", reason: RpcError.from(error) };
      }
    });
  }

  /**
   * A stub: `client.stub<Calculator>().add(1, 2)` is `client.call("add", [1, 2])`. Lesson 2's
   * `createStub` already turns method calls into calls of one function.
   */
  stub<T extends object>(): Remote<T> {
    return createStub<T>((method, args) => this.call(method, args));
  }

  /** Closes the pooled connections, so the process can exit and the server can stop. */
  close(): void {
    if (this.#ownsAgent) this.#agent.destroy();
  }
}
