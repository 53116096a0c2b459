import { RpcError } from "../../shared/rpc-error.js";

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
  #nextId = 1;

  /**
   * Registers a function under a name and an integer ID. Without an ID, it takes the lowest
   * free one from 1 up (an ID given by hand is skipped, never taken twice). A name or an ID
   * already taken, or an ID that is not an integer from 0 to 2^32 − 1 (a call carries it in
   * 4 bytes), is refused with an Error naming it. Returns the registry, for chaining.
   */
  register(name: string, fn: Procedure, id?: number): this {
    if (this.#byName.has(name)) throw new Error(`"${name}" is registered already`);
    if (id === undefined) id = this.#nextFreeId();
    if (!Number.isInteger(id) || id < 0 || id > 0xffff_ffff) {
      throw new Error(`call ID ${id} must be an integer from 0 to 2^32 - 1`);
    }
    if (this.#byId.has(id))
      throw new Error(`call ID ${id} is taken by "${this.#byId.get(id)!.name}"`);
    const entry = { name, id, fn };
    this.#byName.set(name, entry);
    this.#byId.set(id, entry);
    return this;
  }

  /** IDs are never freed, so every ID below the cursor stays taken: it only moves forward. */
  #nextFreeId(): number {
    while (this.#byId.has(this.#nextId)) this.#nextId += 1;
    return this.#nextId;
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
    const entry = typeof name === "string" ? this.#byName.get(name) : undefined;
    if (!entry) throw new RpcError("unknown_method", `no method named ${JSON.stringify(name)}`);
    return entry;
  }

  /** The same, by call ID; the error says which ID was not found. */
  byId(id: number): Entry {
    const entry = this.#byId.get(id);
    if (!entry) throw new RpcError("unknown_method", `no method with call ID ${id}`);
    return entry;
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
