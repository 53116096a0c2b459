import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";

/**
 * The client's half of request IDs: every call in flight waits here under its ID until the
 * reply with that ID arrives. Transport-agnostic: TCP, ZeroMQ and AMQP clients all use it.
 */

export interface CallOptions {
  /** Reject with "deadline_exceeded" after this many milliseconds. */
  timeoutMs?: number;
  /** Reject with "canceled" when this signal aborts. */
  signal?: AbortSignal;
}

interface Pending {
  resolve(value: unknown): void;
  reject(reason: RpcError): void;
  timer?: NodeJS.Timeout;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class PendingCalls<Id = number> {
  readonly #pending = new Map<Id, Pending>();

  get size(): number {
    return this.#pending.size;
  }

  /** Whether a call with this ID is still waiting. */
  has(id: Id): boolean {
    return this.#pending.has(id);
  }

  /** Returns a promise settled by `resolve(id, ...)` / `reject(id, ...)`, or by the deadline. */
  wait(id: Id, { timeoutMs, signal }: CallOptions = {}): Promise<unknown> {
    // Task 3: throw an Error if `id` is already waiting. Otherwise return a new Promise whose
    // executor stores `const pending: Pending = { resolve, reject }` under `id`, then:
    //   - timeoutMs: pending.timer = setTimeout(() => this.reject(id,
    //     new RpcError("deadline_exceeded", ...)), timeoutMs);
    //   - signal: if already aborted, this.reject(id, new RpcError("canceled", ...)) at once;
    //     otherwise keep signal and the listener in `pending` and
    //     signal.addEventListener("abort", onAbort, { once: true }).
    void [id, timeoutMs, signal, RpcError];
    return todo("task 3: PendingCalls.wait");
  }

  /** Settles a call; a reply for an unknown or expired ID is ignored and reported as false. */
  resolve(id: Id, value: unknown): boolean {
    // Task 3: take the call out with this.#take(id), settle it with `value`, and return
    // whether there was one.
    void [id, value];
    return todo("task 3: PendingCalls.resolve");
  }

  reject(id: Id, reason: RpcError): boolean {
    // Task 3: the same, rejecting with `reason`.
    void [id, reason];
    return todo("task 3: PendingCalls.reject");
  }

  /** The connection is gone: every call still waiting fails with the same reason. */
  rejectAll(reason: RpcError): void {
    // Task 3: this.reject(id, reason) for every ID waiting. Each reject deletes its own
    // entry, so walk over a copy: [...this.#pending.keys()].
    void reason;
    todo("task 3: PendingCalls.rejectAll");
  }

  /** Forgets a call, with its timer and its abort listener, whichever way it ends. */
  #take(id: Id): Pending | undefined {
    // Task 3: get the entry; if there is one, delete it, clearTimeout(pending.timer), and
    // remove pending.onAbort from pending.signal. Return it (or undefined).
    void id;
    return todo("task 3: PendingCalls.#take");
  }
}
