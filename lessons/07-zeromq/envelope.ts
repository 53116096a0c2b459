import type { Writable } from "zeromq";
import { todo } from "../../shared/todo.js";

/**
 * ROUTER/DEALER plumbing. A ROUTER puts the sender's routing id in front of every message it
 * receives, and reads it back off every message it sends, so one socket can talk to many
 * peers. zerorpc frames a message the way a REQ socket would:
 *
 *   frame 0..n-3   routing ids        one per ROUTER on the way (usually exactly one)
 *   frame n-2      empty delimiter    where the envelope ends
 *   frame n-1      payload            the msgpack event
 */

export interface Envelope {
  /** The routing ids, to send back in front of the reply. */
  route: Buffer[];
  body: Buffer;
}

/** Splits a message a ROUTER received; undefined when it does not have that shape. */
export function splitEnvelope(frames: Buffer[]): Envelope | undefined {
  return todo("task 2: splitEnvelope");
}

/** The frames a ROUTER sends to reach the peer that `route` names. */
export function joinEnvelope(route: Buffer[], body: Uint8Array): Uint8Array[] {
  return todo("task 2: joinEnvelope");
}

const EMPTY = Buffer.alloc(0);

/**
 * zeromq.js lets only one send() wait at a time: a second one while a DEALER is mute (no peer
 * yet, or its high-water mark reached) throws EBUSY. Many calls share one socket here, so
 * their sends wait in line, in order, each one's promise settling with its own send.
 */
export class Outbox {
  #tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly socket: Writable<Uint8Array[]>) {}

  send(frames: Uint8Array[]): Promise<void> {
    return todo("task 2: Outbox.send");
  }
}
