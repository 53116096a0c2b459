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
  return new Proxy({} as Remote<T>, {
    get(_target, property) {
      // `await stub` asks for "then": a stub must not look like a promise itself.
      if (typeof property !== "string" || property === "then") return undefined;
      return (...args: unknown[]) => invoke(property, args);
    },
  });
}
