import { ErrorObject, parseObject, SuccessObject, type ID, type JsonRpcError } from "jsonrpc-lite";
import { Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
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
  return todo("task 2: toArguments");
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
    return todo("task 2: handle");
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
    return todo("task 3: batch");
  }
}
