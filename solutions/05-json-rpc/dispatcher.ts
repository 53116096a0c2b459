import { ErrorObject, parseObject, SuccessObject, type ID, type JsonRpcError } from "jsonrpc-lite";
import { Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import { RpcError } from "../../shared/rpc-error.js";
import { ConcurrencyLimit } from "./limiter.js";
import { nestsDeeperThan } from "./nesting.js";
import { parameterNames, type Signature } from "./parameter-names.js";
import { ErrorCode, protocolError, toErrorObject } from "./protocol.js";

/**
 * The server side of JSON-RPC 2.0, without any transport: request text in, reply text out
 * (or nothing, when there is nothing to say). HTTP, a TCP frame or a queue can carry it.
 */

export interface DispatcherOptions {
  /** How many methods may run at once; the rest wait in line. */
  concurrency?: number;
  /** The most entries a batch may hold; a longer batch is refused whole, before any call runs. */
  maxBatchLength?: number;
  /** How deep params may nest (`[[1]]` is 2); deeper params are refused with -32602. */
  maxDepth?: number;
}

export const DEFAULT_MAX_BATCH_LENGTH = 1000;
export const DEFAULT_MAX_DEPTH = 64;

/** One entry of a request, sorted out: a call (answer it), a notification (don't), or junk. */
type Incoming =
  | { kind: "call"; id: ID; method: string; params: unknown }
  | { kind: "notification"; method: string; params: unknown }
  | { kind: "invalid"; id: ID; code: number; detail: string };

function isValidId(id: unknown): id is ID {
  return typeof id === "string" || id === null || Number.isSafeInteger(id);
}

/**
 * One entry of a request, sorted out by jsonrpc-lite; we only overrule it on the ids null and
 * "", which it refuses and the specification allows.
 */
export function classify(entry: unknown, maxDepth = DEFAULT_MAX_DEPTH): Incoming {
  const params = (entry as { params?: unknown } | null)?.params;
  if (nestsDeeperThan(params, maxDepth)) {
    const id = isValidId((entry as { id?: unknown }).id) ? (entry as { id: ID }).id : null;
    const detail = `"params" nest deeper than ${maxDepth} levels`;
    return { kind: "invalid", id, code: ErrorCode.InvalidParams, detail };
  }
  const parsed = parseObject(entry);
  const type = parsed.type as string;
  if (type === "request" || type === "notification") {
    const { method, params } = parsed.payload as { method: string; params?: unknown };
    return type === "request"
      ? { kind: "call", id: (parsed.payload as { id: ID }).id, method, params }
      : { kind: "notification", method, params };
  }
  const object = (typeof entry === "object" && entry !== null ? entry : {}) as Record<
    string,
    unknown
  >;
  const id = isValidId(object.id) ? object.id : null;
  if ((object.id === null || object.id === "") && object.jsonrpc === "2.0") {
    // jsonrpc-lite refuses the ids null and "", which JSON-RPC 2.0 allows: check the rest of
    // the request with a stand-in id, and answer with the real one.
    const retry = parseObject({ ...object, id: 0 });
    if ((retry.type as string) === "request") {
      return {
        kind: "call",
        id: object.id,
        method: object.method as string,
        params: object.params,
      };
    }
  }
  const detail =
    typeof entry !== "object" || entry === null || Array.isArray(entry)
      ? "a request must be an object"
      : object.jsonrpc !== "2.0"
        ? 'a request needs "jsonrpc": "2.0"'
        : typeof object.method !== "string" || object.method === ""
          ? '"method" must be a non-empty string'
          : !("id" in object) || isValidId(object.id)
            ? '"params" must be an array or an object'
            : '"id" must be a string, an integer or null';
  return { kind: "invalid", id, code: ErrorCode.InvalidRequest, detail };
}

/**
 * The argument list for the method `name`, from a request's params. Positional params (an
 * array) go as they are; named params (an object) go in the order the function declares them
 * (`signature.names`), undefined for a name that is missing. Refuse with RpcError
 * "invalid_argument", saying what is wrong: more positional params than the function declares
 * (unless it has a rest parameter), named params for a function without a signature, or a name
 * the function does not have. Read the object with `Object.hasOwn`: a "__proto__" key must
 * not find anything inherited.
 */
export function toArguments(name: string, params: unknown, signature?: Signature): unknown[] {
  if (params === undefined) return [];
  if (Array.isArray(params)) {
    if (signature && !signature.rest && params.length > signature.names.length) {
      throw new RpcError(
        "invalid_argument",
        `${name} takes ${signature.names.length} params, got ${params.length}`,
      );
    }
    return params;
  }
  if (!signature) throw new RpcError("invalid_argument", `call ${name} with positional params`);
  const named = params as Record<string, unknown>;
  const unknown = Object.keys(named).find((key) => !signature.names.includes(key));
  if (unknown !== undefined) {
    throw new RpcError(
      "invalid_argument",
      `${name} has no parameter ${JSON.stringify(unknown)}; it takes (${signature.names.join(", ")})`,
    );
  }
  // A missing name arrives as undefined: the method checks its arguments, as it must anyway.
  return signature.names.map((key) => (Object.hasOwn(named, key) ? named[key] : undefined));
}

export class Dispatcher {
  readonly #registry: Registry;
  /** Where the unbound functions are, to read their parameter names; none for a Registry. */
  readonly #service: Record<string, Function> | undefined;
  readonly #signatures = new Map<string, Signature | undefined>();
  readonly #limit: ConcurrencyLimit;
  readonly #maxBatchLength: number;
  readonly #maxDepth: number;

  constructor(
    target: object | Registry,
    {
      concurrency = 64,
      maxBatchLength = DEFAULT_MAX_BATCH_LENGTH,
      maxDepth = DEFAULT_MAX_DEPTH,
    }: DispatcherOptions = {},
  ) {
    this.#registry = target instanceof Registry ? target : Registry.fromService(target);
    this.#service = target instanceof Registry ? undefined : (target as Record<string, Function>);
    this.#limit = new ConcurrencyLimit(concurrency);
    this.#maxBatchLength = maxBatchLength;
    this.#maxDepth = maxDepth;
  }

  /** The parameter names of a registered method, read once (parameter-names.ts). */
  #signature(name: string): Signature | undefined {
    if (!this.#signatures.has(name)) {
      const fn = this.#service?.[name] ?? this.#registry.byName(name).fn;
      this.#signatures.set(name, parameterNames(fn));
    }
    return this.#signatures.get(name);
  }

  /** One entry of a request, answered: the reply's JSON text, or undefined for a notification. */
  async #answer(entry: unknown): Promise<string | undefined> {
    const incoming = classify(entry, this.#maxDepth);
    if (incoming.kind === "invalid") {
      return failure(incoming.id, protocolError(incoming.code, incoming.detail));
    }
    try {
      const { fn } = this.#registry.byName(incoming.method); // prototype names never match
      const args = toArguments(incoming.method, incoming.params, this.#signature(incoming.method));
      const result = await this.#limit.run(() => fn(...args));
      return incoming.kind === "call" ? success(incoming.id, result) : undefined;
    } catch (error) {
      // A notification gets no reply, not even when it failed: nobody is waiting for one.
      return incoming.kind === "call" ? failure(incoming.id, toErrorObject(error)) : undefined;
    }
  }

  /**
   * Request text in; reply text out (one response object, or a batch's array), or undefined
   * when nothing is to be sent back. Never throws: every failure is a reply.
   *
   * - Text that is not JSON is -32700 with the id null: there was no way to read one.
   * - A Request is an object with "jsonrpc": "2.0", a "method" that is a non-empty string,
   *   "params" absent or an array or an object, and an "id" that is a string, an integer or
   *   null — or no "id" at all, which makes it a notification. Anything else is -32600, with
   *   the entry's id when it is one of those, else null. jsonrpc-lite's `parseObject` checks
   *   all this but also refuses the ids null and "", which the specification allows.
   * - Params nested deeper than `this.#maxDepth` (`nestsDeeperThan`) are -32602, with a detail
   *   naming the limit, before anything else looks at them.
   * - The method comes from the Registry alone (an unknown or inherited name is -32601), its
   *   arguments from `toArguments`. It may be async and may throw: the reply is its result
   *   (null for undefined: JSON has no undefined) or `toErrorObject(error)`.
   * - A result that cannot be written as JSON (a BigInt, a cycle) is -32603 for that reply
   *   alone, with the detail "the result cannot be written as JSON" and nothing more.
   * - A notification runs like a call and gets no reply, whatever happens (task 3); an array
   *   is a batch (task 3). Every method runs inside `this.#limit` (task 4).
   */
  async handle(text: string): Promise<string | undefined> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return failure(null, protocolError(ErrorCode.ParseError, "the body is not valid JSON"));
    }
    return Array.isArray(message) ? this.#batch(message) : this.#answer(message);
  }

  /**
   * A batch: one reply array holding the answers to its calls, each entry answered on its own
   * as `handle` answers a single request, and side by side (the limit still holds); an invalid
   * entry gets its own -32600, and one reply that cannot become JSON spoils only itself. An
   * empty batch, or one longer than `this.#maxBatchLength`, is refused whole with one Invalid
   * Request (id null), not an array, whose detail says why (the limit, when there is one), and
   * runs nothing. A batch of notifications only gets no reply at all: undefined, not "[]".
   */
  async #batch(entries: unknown[]): Promise<string | undefined> {
    if (entries.length === 0) {
      return failure(null, protocolError(ErrorCode.InvalidRequest, "a batch must not be empty"));
    }
    if (entries.length > this.#maxBatchLength) {
      // Refused whole: answering each of 100,000 entries would make a reply 60 times the request.
      const detail = `a batch may hold at most ${this.#maxBatchLength} entries, got ${entries.length}`;
      return failure(null, protocolError(ErrorCode.InvalidRequest, detail));
    }
    // The calls of a batch run side by side (the limit still holds); the replies keep their
    // order, which the specification does not require but a reader of logs appreciates.
    const replies = await Promise.all(entries.map((entry) => this.#answer(entry)));
    const answered = replies.filter((reply): reply is string => reply !== undefined);
    // A batch of notifications only: no reply at all, not even "[]".
    return answered.length ? `[${answered.join(",")}]` : undefined;
  }
}

/**
 * One reply object as JSON text. Each reply is written on its own, so that one result that
 * cannot become JSON (a BigInt, a cycle) spoils only its own reply, not the whole batch.
 */
function success(id: ID, result: unknown): string {
  try {
    // JSON has no undefined: a method that returns nothing answers null.
    return JSON.stringify(new SuccessObject(id, (result ?? null) as never));
  } catch {
    const detail = "the result cannot be written as JSON";
    return failure(id, protocolError(ErrorCode.InternalError, detail));
  }
}

function failure(id: ID, error: JsonRpcError): string {
  return JSON.stringify(new ErrorObject(id, error));
}
