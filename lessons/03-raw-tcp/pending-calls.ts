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
    // Task 3: throw an Error if `id` is already waiting. Otherwise return a new Promise and,
    // inside it, put { resolve, reject } for `id` in this.#pending. Both must clean up first:
    // clear the timer, remove the abort listener, delete the entry.
    //   - timeoutMs: setTimeout(() => this.reject(id, new RpcError("deadline_exceeded", ...)))
    //   - signal: already aborted, or when it fires: this.reject(id, new RpcError("canceled", ...))
    //     Useful: signal.addEventListener("abort", onAbort, { once: true })
    void [id, timeoutMs, signal, RpcError];
    return todo("task 3: PendingCalls.wait");
  }

  /** Settles a call; a reply for an unknown or expired ID is ignored and reported as false. */
  resolve(id: Id, value: unknown): boolean {
    // Task 3: settle the call waiting under `id` with `value`; return whether there was one.
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
    // Task 3: reject every call still waiting with `reason`. Each reject deletes its own
    // entry, so walk over a copy: [...this.#pending.values()].
    void reason;
    todo("task 3: PendingCalls.rejectAll");
  }
}
