import { RpcError } from "./rpc-error.js";

/**
 * What every client of the course accepts on a call: a deadline and a way to give up.
 * Written once here, so that TCP, HTTP, XML-RPC, ZeroMQ, AMQP and gRPC clients agree on what
 * `timeoutMs: 0`, `Infinity` and an already-aborted signal mean.
 */
export interface CallOptions {
  /**
   * Reject with "deadline_exceeded" after this many milliseconds. `undefined` or `Infinity`
   * mean no deadline; a value past what a timer can hold (about 24.8 days) is capped.
   */
  timeoutMs?: number;
  /** Reject with "canceled" when this signal aborts, or at once if it already has. */
  signal?: AbortSignal;
}

const nothing = () => {};

/** setTimeout keeps delays in a signed 32-bit integer; a larger one would fire after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The delay to give `setTimeout` or `AbortSignal.timeout` for a deadline `ms` away. Node's
 * timers hold at most MAX_TIMER_MS (about 24.8 days): past it a timer fires after 1 ms, so a
 * deadline of 25 days would expire at once. Every deadline of the course goes through here:
 * a longer one is capped, a negative one is 0.
 */
export function timerDelay(ms: number): number {
  return Math.min(Math.max(0, ms), MAX_TIMER_MS);
}

/** An AbortSignal that aborts at the deadline (capped by timerDelay); none for undefined or Infinity. */
export function deadlineSignal(timeoutMs: number | undefined): AbortSignal | undefined {
  if (timeoutMs === undefined || timeoutMs === Infinity) return undefined;
  return AbortSignal.timeout(timerDelay(timeoutMs));
}

export function deadlineExceeded(timeoutMs: number, what = "reply"): RpcError {
  return new RpcError("deadline_exceeded", `no ${what} within ${timeoutMs} ms`);
}

export function canceled(): RpcError {
  return new RpcError("canceled", "the call was canceled");
}

/**
 * Watches one call's deadline and signal. `fail` runs at most once, with "deadline_exceeded"
 * or "canceled" (synchronously, before this returns, when the signal is already aborted).
 * Call the returned `stop()` as soon as the call ends any other way: it clears the timer and
 * the abort listener, so a finished call holds nothing.
 */
export function watchCall(
  { timeoutMs, signal }: CallOptions,
  fail: (reason: RpcError) => void,
): () => void {
  // Most calls have neither: no closure, no timer, no listener for them (a hot path).
  if (signal === undefined && (timeoutMs === undefined || timeoutMs === Infinity)) return nothing;
  if (signal?.aborted) {
    fail(canceled());
    return nothing;
  }
  const watch = new CallWatch(fail, signal);
  if (timeoutMs !== undefined && timeoutMs !== Infinity) {
    watch.timer = setTimeout(deadlinePassed, timerDelay(timeoutMs), watch, timeoutMs);
  }
  signal?.addEventListener("abort", watch, { once: true });
  return () => watch.stop();
}

/**
 * One watched call. A class, and functions defined once, rather than closures made per call:
 * the course runs through tsx, which gives every named closure its name at run time, and on
 * a call path with many calls in flight that costs more than the closures themselves.
 */
class CallWatch {
  timer: NodeJS.Timeout | undefined;

  constructor(
    readonly fail: (reason: RpcError) => void,
    private readonly signal: AbortSignal | undefined,
  ) {}

  stop(): void {
    clearTimeout(this.timer);
    this.signal?.removeEventListener("abort", this);
  }

  /** The signal's abort event (an EventTarget calls handleEvent on an object listener). */
  handleEvent(): void {
    this.stop();
    this.fail(canceled());
  }
}

function deadlinePassed(watch: CallWatch, timeoutMs: number): void {
  watch.stop();
  watch.fail(deadlineExceeded(timeoutMs));
}
