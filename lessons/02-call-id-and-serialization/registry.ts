import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";

/**
 * The call-ID table. Both sides keep one: the client to turn a method into an ID, the server
 * to turn the ID back into a function. The tables need not hold the same methods, but a
 * method both know must have the same ID on both sides.
 */

// Methods are called with whatever arguments arrive; the method itself checks them.
export type Procedure = (...args: any[]) => unknown;

export interface Entry {
  name: string;
  id: number;
  fn: Procedure;
}

export class Registry {
  // Maps, not plain objects: a Map has no prototype, so "__proto__" or "constructor"
  // can never be found by accident.
  readonly #byName = new Map<string, Entry>();
  readonly #byId = new Map<number, Entry>();

  /**
   * Registers a function under a name and an integer ID. Without an ID, it takes the lowest
   * free one from 1 up (an ID given by hand is skipped, never taken twice). A name or an ID
   * already taken, or an ID that is not an integer from 0 to 2^32 − 1 (a call carries it in
   * 4 bytes), is refused with an Error naming it. Returns the registry, for chaining.
   */
  register(name: string, fn: Procedure, id?: number): this {
    return todo("task 1: Registry.register");
  }

  /**
   * Registers every own function of a service object (classes left out), sorted by name,
   * so that two processes building a registry from the same service agree on the IDs.
   * `ids` pins IDs explicitly, as a protocol published to other languages would; the other
   * names take the free IDs that are left, in order.
   */
  static fromService(service: object, ids: Record<string, number> = {}): Registry {
    const methods = service as Record<string, Procedure>;
    const names = Object.keys(methods)
      .filter((name) => isProcedure(methods[name]))
      .sort();
    const registry = new Registry();
    for (const name of names.filter((name) => Object.hasOwn(ids, name))) {
      registry.register(name, methods[name]!.bind(service), ids[name]);
    }
    for (const name of names.filter((name) => !Object.hasOwn(ids, name))) {
      registry.register(name, methods[name]!.bind(service));
    }
    return registry;
  }

  /**
   * The entry registered under `name`, or an RpcError "unknown_method" naming it. Only names
   * registered here match: never `__proto__`, `constructor` or `toString`.
   */
  byName(name: string): Entry {
    return todo("task 1: Registry.byName");
  }

  /** The same, by call ID; the error says which ID was not found. */
  byId(id: number): Entry {
    return todo("task 1: Registry.byId");
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  names(): string[] {
    return [...this.#byName.keys()];
  }
}

/**
 * A function that can be called as a method. A class is a function too, but calling one
 * without `new` throws: a module that exports DivisionByZeroError beside add and divide must
 * not turn the error class into a remote method.
 */
function isProcedure(value: unknown): value is Procedure {
  return typeof value === "function" && !/^class\b/.test(Function.prototype.toString.call(value));
}
