import { PassThrough } from "node:stream";
import type { Readable } from "node:stream";
import { streamChannel, type Channel, type Receiver } from "./channel.js";
import { newlineFraming, type Framing } from "./framing.js";
import type { RpcError } from "../../shared/rpc-error.js";

/**
 * Test helpers: two ends of one byte stream in this process (framed as on a pipe, without
 * the cost of a child), and a raw end that records what arrives.
 */

export interface Wire {
  /** The two channels, one for each peer. */
  left: Channel;
  right: Channel;
  /** Bytes written into the stream towards `right`, raw (to send what no peer would). */
  toRight: PassThrough;
  /** Closes both directions, as a vanished process would. */
  cut(): void;
}

export function wire(framing: Framing = newlineFraming): Wire {
  const toRight = new PassThrough();
  const toLeft = new PassThrough();
  return {
    left: streamChannel(toLeft, toRight, framing),
    right: streamChannel(toRight, toLeft, framing),
    toRight,
    cut() {
      toRight.end();
      toLeft.end();
    },
  };
}

/** A receiver that keeps everything, with a way to wait for the next message of a kind. */
export class Recorder implements Receiver {
  readonly messages: unknown[] = [];
  readonly bad: RpcError[] = [];
  closed = false;
  #waiters: {
    test: (m: any) => boolean;
    resolve: (m: any) => void;
    reject: (reason: Error) => void;
  }[] = [];

  onMessage(value: unknown): void {
    this.messages.push(value);
    this.#waiters = this.#waiters.filter((w) => (w.test(value) ? (w.resolve(value), false) : true));
  }

  onBadMessage(error: RpcError): void {
    this.bad.push(error);
    this.onMessage({ bad: error.code });
  }

  onClose(): void {
    this.closed = true;
    this.fail(new Error("the connection closed before the message arrived"));
  }

  /** Fails every wait still open: the other side broke down (e.g. a todo it reached). */
  fail(reason: Error): void {
    for (const waiter of this.#waiters.splice(0)) waiter.reject(reason);
  }

  /** The first message (already here, or still to come) that passes `test`. */
  next<T = any>(test: (message: any) => boolean): Promise<T> {
    const found = this.messages.find(test);
    if (found !== undefined) return Promise.resolve(found as T);
    return new Promise((resolve, reject) => this.#waiters.push({ test, resolve, reject }));
  }
}

/** Everything a readable stream gives until it ends, as text. */
export async function readAll(stream: Readable): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += String(chunk);
  return text;
}
