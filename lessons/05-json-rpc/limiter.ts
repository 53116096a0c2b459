import { todo } from "../../shared/todo.js";
import { WaitingLine } from "./waiting-line.js";

/**
 * At most `max` calls run at once; the others wait their turn, first come first served.
 *
 * Python's jsonrpclib bounds a server with a thread pool (PooledJSONRPCServer): each call
 * takes a thread, and when all threads are busy the next call waits. Node runs every call on
 * one thread, so waiting is free, but the work a call starts is not: a thousand concurrent
 * calls that each open a database connection or hold a buffer can still sink the process.
 * This is the pool without the threads: a counter of running calls and a line of the rest.
 */
export class ConcurrencyLimit {
  #active = 0;
  /** The callers waiting for a slot, oldest first (waiting-line.ts is written for you). */
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

  /**
   * Runs `task` and settles as it does (its value, or what it threw). At most `max` tasks run
   * at any moment; the others start in the order `run` was called, and a `run` that arrives
   * just as a slot frees up must not jump ahead of those already waiting. A task that throws,
   * synchronously or not, frees its slot like one that returns.
   */
  async run<T>(task: () => T | Promise<T>): Promise<T> {
    return todo("task 4: ConcurrencyLimit.run");
  }
}
