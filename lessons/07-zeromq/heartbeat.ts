import { todo } from "../../shared/todo.js";

/**
 * zerorpc's heartbeat: both ends of every open channel send `_zpc_hb` at a fixed interval
 * (5 s by default), and a side that hears nothing from the other for two intervals declares
 * it lost. TCP alone cannot tell you that: a peer that froze, or a cable that was pulled,
 * leaves the connection looking open for a long time.
 *
 * One timer serves all channels of a socket instead of one timer per channel.
 */

export interface HeartbeatHandlers<K> {
  /** Time to send a heartbeat on this channel. */
  beat(key: K): void;
  /** Nothing heard for more than two intervals: the channel is dropped before this is called. */
  lost(key: K, silentMs: number): void;
}

export class Heartbeats<K> {
  readonly #lastHeard = new Map<K, number>();
  #timer: NodeJS.Timeout | undefined;
  #tickDue = 0;

  constructor(
    readonly intervalMs: number,
    private readonly handlers: HeartbeatHandlers<K>,
  ) {
    if (!(intervalMs > 0)) throw new RangeError("the heartbeat interval must be positive");
  }

  /** Starts watching a channel, as if the other side had just spoken. */
  watch(key: K, now = performance.now()): void {
    this.#lastHeard.set(key, now);
    if (!this.#timer) {
      this.#tickDue = now + this.intervalMs;
      this.#timer = setInterval(() => this.#onTimer(), this.intervalMs);
      this.#timer.unref(); // the sockets keep the process alive, not the heartbeat
    }
  }

  /** The other side said something on this channel (a heartbeat or any other event). */
  heard(key: K, now = performance.now()): void {
    if (this.#lastHeard.has(key)) this.#lastHeard.set(key, now);
  }

  forget(key: K): void {
    // The timer keeps running when the last channel goes; close() stops it. With one call at
    // a time, clearing and restarting it for every call costs more than an idle tick does.
    this.#lastHeard.delete(key);
  }

  get size(): number {
    return this.#lastHeard.size;
  }

  /** One beat of the clock: declare silent channels lost, send a heartbeat on the others. */
  tick(now = performance.now()): void {
    return todo("task 7: Heartbeats.tick");
  }

  /** Stops watching every channel. */
  close(): void {
    this.#lastHeard.clear();
    this.#stopTimer();
  }

  #onTimer(): void {
    // If this process stalled (a busy event loop), the other side's heartbeats may be waiting
    // unread in the socket right now. Judge silence as of when this tick was due, not later.
    const now = performance.now();
    const due = this.#tickDue;
    this.#tickDue = now + this.intervalMs;
    try {
      this.tick(Math.min(now, due));
    } catch (error) {
      this.#stopTimer(); // a broken tick must not throw again at every interval
      throw error;
    }
  }

  #stopTimer(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
