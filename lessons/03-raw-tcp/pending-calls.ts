import { watchCall, type CallOptions } from "../../shared/call-options.js";
import type { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";

/**
 * The client's half of request IDs: every call in flight waits here under its ID until the
 * reply with that ID arrives. Transport-agnostic: TCP, ZeroMQ and AMQP clients all use it.
 * Deadlines and cancellation are given: shared/call-options.ts's `watchCall(options, fail)`
 * calls `fail` once with "deadline_exceeded" or "canceled" (at once when the signal is
 * aborted already; never for `timeoutMs: Infinity`) and returns a `stop()` that clears it.
 */

export type { CallOptions };

export class PendingCalls<Id = number> {
  get size(): number {
    return todo("task 3: PendingCalls.size");
  }

  /** Whether a call with this ID is still waiting. */
  has(id: Id): boolean {
    return todo("task 3: PendingCalls.has");
  }

  /**
   * Returns a promise settled by `resolve(id, ...)` / `reject(id, ...)`, or by the deadline or
   * the signal. An ID already waiting is a bug of the caller: throw.
   */
  wait(id: Id, options: CallOptions = {}): Promise<unknown> {
    return todo("task 3: PendingCalls.wait");
  }

  /** Settles a call; a reply for an unknown or expired ID is ignored and reported as false. */
  resolve(id: Id, value: unknown): boolean {
    return todo("task 3: PendingCalls.resolve");
  }

  /** The same, failing the call; false for an unknown or expired ID. */
  reject(id: Id, reason: RpcError): boolean {
    return todo("task 3: PendingCalls.reject");
  }

  /**
   * The connection is gone: every call still waiting fails with the same reason. A call that
   * ends, whichever way, leaves nothing behind: no timer, no abort listener, no entry.
   */
  rejectAll(reason: RpcError): void {
    todo("task 3: PendingCalls.rejectAll");
  }
}
