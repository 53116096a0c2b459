import { ErrorObject, parseObject, SuccessObject, type ID, type JsonRpcError } from "jsonrpc-lite";
import { Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
import { ConcurrencyLimit } from "./limiter.js";
import { parameterNames, type Signature } from "./parameter-names.js";
import { ErrorCode, protocolError, toErrorObject } from "./protocol.js";

/**
 * The server side of JSON-RPC 2.0, without any transport: request text in, reply text out
 * (or nothing, when there is nothing to say). HTTP, a TCP frame or a queue can carry it.
 */

export interface DispatcherOptions {
  /** How many methods may run at once; the rest wait in line. */
  concurrency?: number;
}

/** One entry of a request, sorted out: a call (answer it), a notification (don't), or junk. */
type Incoming =
  | { kind: "call"; id: ID; method: string; params: unknown }
  | { kind: "notification"; method: string; params: unknown }
  | { kind: "invalid"; id: ID; detail: string };

function isValidId(id: unknown): id is ID {
  return typeof id === "string" || id === null || Number.isSafeInteger(id);
}

/** jsonrpc-lite sorts the entry out; we only overrule it on the ids null and "". */
export function classify(entry: unknown): Incoming {
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
  return { kind: "invalid", id, detail };
}

/** Positional params go as they are; named params are put in the order the function declares. */
export function toArguments(name: string, params: unknown, signature?: Signature): unknown[] {
  // Task 2: turn the request's params into the argument list for the method `name`.
  //   - no params → []; an array → itself, but more entries than signature.names (when there
  //     is a signature without a rest parameter) is RpcError "invalid_argument";
  //   - an object (named params) needs a signature: without one, "invalid_argument" ("call
  //     <name> with positional params"); a key that is not in signature.names is
  //     "invalid_argument" too, naming the key; otherwise the values in signature.names order,
  //     undefined for a missing one (the method checks its own arguments).
  // Useful: Array.isArray, Object.keys, Object.hasOwn(named, key), signature.names.map(...)
  void [name, params, signature, RpcError];
  return todo("task 2: toArguments");
}

export class Dispatcher {
  readonly #registry: Registry;
  /** Where the unbound functions are, to read their parameter names; none for a Registry. */
  readonly #service: Record<string, Function> | undefined;
  readonly #signatures = new Map<string, Signature | undefined>();
  readonly #limit: ConcurrencyLimit;

  constructor(target: object | Registry, { concurrency = 64 }: DispatcherOptions = {}) {
    this.#registry = target instanceof Registry ? target : Registry.fromService(target);
    this.#service = target instanceof Registry ? undefined : (target as Record<string, Function>);
    this.#limit = new ConcurrencyLimit(concurrency);
  }

  #signature(name: string): Signature | undefined {
    if (!this.#signatures.has(name)) {
      const fn = this.#service?.[name] ?? this.#registry.byName(name).fn;
      this.#signatures.set(name, parameterNames(fn));
    }
    return this.#signatures.get(name);
  }

  /** Runs one entry; resolves to the reply's JSON text, or undefined for a notification. */
  async #answer(entry: unknown): Promise<string | undefined> {
    // Task 2: answer one entry of a request.
    //   1. classify(entry): an "invalid" one is answered with
    //      failure(incoming.id, protocolError(ErrorCode.InvalidRequest, incoming.detail));
    //   2. look the method up with this.#registry.byName (it refuses unknown and prototype
    //      names), build the arguments with toArguments(name, params, this.#signature(name)),
    //      and call fn(...args) — await it, a method may be async;
    //   3. answer success(id, result), or failure(id, toErrorObject(error)) for anything thrown.
    // Task 3: a notification (incoming.kind === "notification") runs the same way, but
    //   resolves to undefined — whatever happened, even an error.
    // Task 4: run the method through the limit: await this.#limit.run(() => fn(...args)).
    void [entry, classify, toErrorObject, success, this.#limit];
    return todo("task 2: answer one call");
  }

  /** Request text in; reply text out, or undefined when nothing is to be sent back. */
  async handle(text: string): Promise<string | undefined> {
    // Task 2: JSON.parse the text; if that fails, answer
    //   failure(null, protocolError(ErrorCode.ParseError, "the body is not valid JSON")).
    //   Answer an object with this.#answer(message).
    // Task 3: an array is a batch: answer it with this.#batch(message).
    void text;
    return todo("task 2: handle");
  }

  async #batch(entries: unknown[]): Promise<string | undefined> {
    // Task 3: answer a batch.
    //   - an empty batch is one Invalid Request error (id null), not an array;
    //   - answer every entry with this.#answer, side by side (Promise.all);
    //   - leave out the undefined replies (notifications); join the rest as a JSON array
    //     text, `[${replies.join(",")}]`; with no reply left at all, resolve to undefined.
    void entries;
    return todo("task 3: batch");
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
