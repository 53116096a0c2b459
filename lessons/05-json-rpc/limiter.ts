import { todo } from "../../shared/todo.js";

/**
 * At most `max` calls run at once; the others wait their turn, first come first served.
 *
 * Python's jsonrpclib bounds a server with a thread pool (PooledJSONRPCServer): each call
 * takes a thread, and when all threads are busy the next call waits. Node runs every call on
 * one thread, so waiting is free, but the work a call starts is not: a thousand concurrent
 * calls that each open a database connection or hold a buffer can still sink the process.
 * This is the pool without the threads: a counter of running calls and a queue of the rest.
 */
export class ConcurrencyLimit {
  #active = 0;
  // A queue with a moving head: Array.shift() would copy the whole array on every call.
  #waiting: (() => void)[] = [];
  #head = 0;

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`max must be 1 or more, got ${max}`);
  }

  /** Calls running now. */
  get active(): number {
    return this.#active;
  }

  /** Calls waiting for a free slot. */
  get waiting(): number {
    return this.#waiting.length - this.#head;
  }

  async run<T>(task: () => T | Promise<T>): Promise<T> {
    // Task 4: run `task` now if fewer than `max` tasks are running; otherwise wait in line.
    //   - a free slot: this.#active += 1 and go;
    //   - no free slot: await a promise whose resolve function you push onto this.#waiting;
    //   - when a task ends — returned or threw: use try/finally — hand its slot to the first
    //     waiter (take this.#waiting[this.#head], then this.#head += 1, and call it; `active`
    //     stays the same), or, with nobody waiting, this.#active -= 1.
    // A moving head keeps the queue cheap: Array.shift() copies the whole array every time.
    void task;
    return todo("task 4: ConcurrencyLimit.run");
  }
}
