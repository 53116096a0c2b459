import { todo } from "../../shared/todo.js";

/**
 * The client stub: an object that looks like the service, where every method call becomes a
 * remote call through `invoke`. `calc.add(1, 2)` reads like a local call and returns a promise.
 */

/** The remote view of a service: same methods, same parameters, results become promises. */
export type Remote<T> = {
  [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: T[K] extends (
    ...args: infer A
  ) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

export type Invoke = (method: string, args: unknown[]) => Promise<unknown>;

export function createStub<T extends object>(invoke: Invoke): Remote<T> {
  // Task 6: return a Proxy whose `get` trap hands back, for any string property, a function
  // `(...args) => invoke(property, args)`. For "then" and for symbols return undefined:
  // `await stub` looks for a "then" method, and a stub must not pass for a promise.
  // Useful: new Proxy({} as Remote<T>, { get(_target, property) { ... } })
  void invoke;
  return todo("task 6: createStub");
}
