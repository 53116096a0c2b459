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
    if (this.#active < this.max) this.#active += 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve)); // a slot is handed over
    try {
      return await task();
    } finally {
      this.#release();
    }
  }

  #release(): void {
    if (this.waiting === 0) {
      this.#active -= 1;
      return;
    }
    // Hand this slot straight to the next caller: `active` stays the same, and nobody who
    // arrives in between can jump the queue.
    const next = this.#waiting[this.#head]!;
    this.#head += 1;
    if (this.#head === this.#waiting.length) {
      this.#waiting = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
      this.#waiting = this.#waiting.slice(this.#head);
      this.#head = 0;
    }
    next();
  }
}
