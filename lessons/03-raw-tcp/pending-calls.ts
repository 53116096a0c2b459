import { watchCall, type CallOptions } from "../../shared/call-options.js";
import type { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";

/**
 * The client's half of request IDs: every call in flight waits here under its ID until the
 * reply with that ID arrives. Transport-agnostic: TCP, ZeroMQ and AMQP clients all use it.
 * Deadlines and cancellation come from `watchCall` (shared/call-options.ts), so `Infinity`,
 * huge timeouts and an already-aborted signal mean the same here as in every other client.
 */

export type { CallOptions };

interface Pending {
  resolve(value: unknown): void;
  reject(reason: RpcError): void;
  /** Clears the deadline timer and the abort listener. */
  stopWatching(): void;
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
  /**
   * Task 3. Throws an Error when `id` is already waiting: two calls under one ID could not be
   * told apart. The deadline and the signal are `watchCall`'s job (shared/call-options.ts):
   * it fails the call with "deadline_exceeded" or "canceled" (at once for a signal that has
   * already aborted), treats `Infinity` as no deadline, and gives back a `stop()` to keep in
   * the entry, so that a call settled any other way leaves no timer or listener behind.
   */
  wait(_id: Id, _options: CallOptions = {}): Promise<unknown> {
    return todo("task 3: PendingCalls.wait");
  }

  /** Settles a call; a reply for an unknown or expired ID is ignored and reported as false. */
  resolve(_id: Id, _value: unknown): boolean {
    return todo("task 3: PendingCalls.resolve");
  }

  /** Fails a call with `reason`; false, as for resolve, when nobody waits under that ID. */
  reject(_id: Id, _reason: RpcError): boolean {
    return todo("task 3: PendingCalls.reject");
  }

  /** The connection is gone: every call still waiting fails with the same reason. */
  rejectAll(_reason: RpcError): void {
    todo("task 3: PendingCalls.rejectAll");
  }

  /** Forgets a call, with its timer and its abort listener, whichever way it ends. */
  #take(_id: Id): Pending | undefined {
    return todo("task 3: PendingCalls.#take");
  }
}
