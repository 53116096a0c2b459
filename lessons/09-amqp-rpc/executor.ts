import { todo } from "../../shared/todo.js";

/**
 * The executor decides how many requests run at once. oslo's "threading" executor is a pool
 * of threads; in Node a request is a promise, so the pool is a counter and a queue. The
 * server sets its channel's prefetch to the same number, so the broker never hands it more
 * messages than it will run: the rest wait in the queue, where another server can take them.
 */
export class Executor {
  readonly concurrency: number;
  #running = 0;
  readonly #queue: (() => Promise<void>)[] = [];
  readonly #idleWaiters: (() => void)[] = [];

  constructor(concurrency = 64) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    }
    this.concurrency = concurrency;
  }

  /** Requests running or waiting for a slot. */
  get pending(): number {
    return this.#running + this.#queue.length;
  }

  /**
   * Runs the task when a slot is free: at most `concurrency` at once, the others in the order
   * they came. A task that throws still frees its slot. The task handles its own errors.
   */
  submit(task: () => Promise<void>): void {
    return todo("task 4: Executor.submit");
  }

  /** Resolves once nothing runs and nothing waits: what the server's wait() needs. */
  idle(): Promise<void> {
    return todo("task 4: Executor.idle");
  }
}
