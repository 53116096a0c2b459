import { WaitingLine } from "./waiting-line.js";

/**
 * At most `max` calls run at once; the others wait their turn, first come first served.
 *
 * Python's jsonrpclib bounds a server with a thread pool (PooledJSONRPCServer): each call
 * takes a thread, and when all threads are busy the next call waits. Node runs every call on
 * one thread, so waiting is free, but the work a call starts is not: a thousand concurrent
 * calls that each open a database connection or hold a buffer can still sink the process.
 * This is the pool without the threads: a counter of running calls and a line of the rest.
 *
 * The contract, which lesson 9's executor relies on too:
 * - `run(task)` settles exactly as `task()` does (its value, or what it threw or rejected).
 * - At most `max` tasks run at any moment; `active + waiting` is every unsettled `run`.
 * - Fair: tasks start in the order `run` was called. A finished task hands its slot straight
 *   to the first waiter, so a `run` that arrives in between cannot jump the line.
 * - A task that throws, synchronously or not, gives its slot back like one that returns.
 * - O(1) per `run`, however long the line.
 */
export class ConcurrencyLimit {
  #active = 0;
  readonly #waiting = new WaitingLine<() => void>();

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`max must be 1 or more, got ${max}`);
  }

  /** Tasks running now. */
  get active(): number {
    return this.#active;
  }

  /** Tasks waiting for a free slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  async run<T>(task: () => T | Promise<T>): Promise<T> {
    if (this.#active < this.max) this.#active += 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve)); // handed a slot
    try {
      return await task();
    } finally {
      this.#release();
    }
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next)
      next(); // the slot passes on: `active` stays the same
    else this.#active -= 1;
  }
}
