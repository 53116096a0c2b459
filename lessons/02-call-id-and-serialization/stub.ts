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

/**
 * A Proxy whose every method is a remote call: `stub.add(1, 2)` is `invoke("add", [1, 2])`.
 * It answers no "then" and no symbol, so that `await stub` does not mistake it for a promise.
 */
export function createStub<T extends object>(invoke: Invoke): Remote<T> {
  return todo("task 6: createStub");
}
