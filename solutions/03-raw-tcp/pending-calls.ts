import { watchCall, type CallOptions } from "../../shared/call-options.js";
import type { RpcError } from "../../shared/rpc-error.js";

/**
 * The client's half of request IDs: every call in flight waits here under its ID until the
 * reply with that ID arrives. Transport-agnostic: TCP, ZeroMQ and AMQP clients all use it.
 * Deadlines and cancellation are shared/call-options.ts's watchCall: Infinity means no
 * deadline, and an already-aborted signal fails the call at once with "canceled".
 */

export type { CallOptions };

interface Pending {
  resolve(value: unknown): void;
  reject(reason: RpcError): void;
  /** Clears the call's timer and abort listener. */
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
  wait(id: Id, options: CallOptions = {}): Promise<unknown> {
    if (this.#pending.has(id)) throw new Error(`request ID ${String(id)} is already in flight`);
    return new Promise((resolve, reject) => {
      const pending: Pending = { resolve, reject, stopWatching: () => {} };
      // Stored first: a signal aborted already fails the call inside watchCall, through reject.
      this.#pending.set(id, pending);
      pending.stopWatching = watchCall(options, (reason) => this.reject(id, reason));
    });
  }

  /** Settles a call; a reply for an unknown or expired ID is ignored and reported as false. */
  resolve(id: Id, value: unknown): boolean {
    const pending = this.#take(id);
    pending?.resolve(value);
    return pending !== undefined;
  }

  reject(id: Id, reason: RpcError): boolean {
    const pending = this.#take(id);
    pending?.reject(reason);
    return pending !== undefined;
  }

  /** The connection is gone: every call still waiting fails with the same reason. */
  rejectAll(reason: RpcError): void {
    for (const id of [...this.#pending.keys()]) this.reject(id, reason);
  }

  /** Forgets a call, with its timer and its abort listener, whichever way it ends. */
  #take(id: Id): Pending | undefined {
    const pending = this.#pending.get(id);
    if (pending === undefined) return undefined;
    this.#pending.delete(id);
    pending.stopWatching();
    return pending;
  }
}
