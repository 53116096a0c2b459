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
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => this.reject(id, new RpcError("canceled", "the call was canceled"));
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.#pending.delete(id);
      };
      this.#pending.set(id, {
        resolve: (value) => (done(), resolve(value)),
        reject: (reason) => (done(), reject(reason)),
      });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.reject(id, new RpcError("deadline_exceeded", `no reply within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      if (signal?.aborted) onAbort();
      else signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Settles a call; a reply for an unknown or expired ID is ignored and reported as false. */
  resolve(id: Id, value: unknown): boolean {
    const pending = this.#pending.get(id);
    pending?.resolve(value);
    return pending !== undefined;
  }

  reject(id: Id, reason: RpcError): boolean {
    const pending = this.#pending.get(id);
    pending?.reject(reason);
    return pending !== undefined;
  }

  /** The connection is gone: every call still waiting fails with the same reason. */
  rejectAll(reason: RpcError): void {
    for (const pending of [...this.#pending.values()]) pending.reject(reason);
  }
}
