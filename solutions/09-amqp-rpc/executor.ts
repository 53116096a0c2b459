import { ConcurrencyLimit } from "../../solutions/05-json-rpc/limiter.js";

/**
 * The executor decides how many requests run at once. oslo's "threading" executor is a pool
 * of threads; in Node it is lesson 5's concurrency limit, plus what a server needs to stop:
 * knowing when nothing is left. The server sets its channel's prefetch to the same number,
 * so the broker never hands it more messages than it will run: the rest wait in the queue,
 * where another server can take them.
 */
export class Executor {
  readonly #limit: ConcurrencyLimit;
  #pending = 0;
  readonly #idleWaiters: (() => void)[] = [];

  constructor(concurrency = 64) {
    this.#limit = new ConcurrencyLimit(concurrency);
  }

  get concurrency(): number {
    return this.#limit.max;
  }

  /** Requests running or waiting for a slot. */
  get pending(): number {
    return this.#pending;
  }

  /**
   * Runs the task through the limit. A task that throws still counts as finished, and never
   * becomes an unhandled rejection. The task handles its own errors.
   */
  submit(task: () => Promise<void>): void {
    this.#pending += 1;
    // Either way: a failed task must not become an unhandled rejection.
    void this.#limit.run(task).then(this.#finished, this.#finished);
  }

  // One function for every task, not two promises and a closure per task (a hot path).
  readonly #finished = (): void => {
    this.#pending -= 1;
    if (this.#pending === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
  };

  /** Resolves once nothing runs and nothing waits: what the server's wait() needs. */
  idle(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }
}
