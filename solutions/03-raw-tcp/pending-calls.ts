import { watchCall, type CallOptions } from "../../shared/call-options.js";
import type { RpcError } from "../../shared/rpc-error.js";

/**
 * The client's half of request IDs: every call in flight waits here under its ID until the
 * reply with that ID arrives. Transport-agnostic: TCP, ZeroMQ and AMQP clients all use it.
 * Deadlines and cancellation come from `watchCall` (shared/call-options.ts), so `Infinity`,
 * huge timeouts and an already-aborted signal mean the same here as in every other client.
 */

export type { CallOptions };

/** Until watchCall says otherwise: one function for every call, not a new one per call. */
const NOT_WATCHING = () => {};

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
  wait(id: Id, options: CallOptions = {}): Promise<unknown> {
    if (this.#pending.has(id)) throw new Error(`request ID ${String(id)} is already in flight`);
    return new Promise((resolve, reject) => {
      const pending: Pending = { resolve, reject, stopWatching: NOT_WATCHING };
      this.#pending.set(id, pending);
      // May call reject at once (a signal that has already aborted): the entry is in place.
      const stop = watchCall(options, (reason) => this.reject(id, reason));
      if (this.#pending.get(id) === pending) pending.stopWatching = stop;
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
