import { RpcError } from "../../shared/rpc-error.js";

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
    if (this.#pending.has(id)) throw new Error(`request ID ${String(id)} is already in flight`);
    return new Promise((resolve, reject) => {
      const pending: Pending = { resolve, reject };
      this.#pending.set(id, pending);
      if (timeoutMs !== undefined) {
        pending.timer = setTimeout(() => {
          this.reject(id, new RpcError("deadline_exceeded", `no reply within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      if (signal) {
        const onAbort = () => this.reject(id, new RpcError("canceled", "the call was canceled"));
        if (signal.aborted) return onAbort();
        pending.signal = signal;
        pending.onAbort = onAbort;
        signal.addEventListener("abort", onAbort, { once: true });
      }
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
    clearTimeout(pending.timer);
    if (pending.onAbort) pending.signal?.removeEventListener("abort", pending.onAbort);
    return pending;
  }
}
