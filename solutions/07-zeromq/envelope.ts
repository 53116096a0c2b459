import type { Writable } from "zeromq";

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
  if (frames.length < 3) return undefined;
  const delimiter = frames[frames.length - 2]!;
  if (delimiter.length !== 0) return undefined;
  const route = frames.slice(0, -2);
  // A routing id is never empty; an empty one means a second delimiter, not an envelope.
  if (route.some((id) => id.length === 0)) return undefined;
  return { route, body: frames[frames.length - 1]! };
}

/** The frames a ROUTER sends to reach the peer that `route` names. */
export function joinEnvelope(route: Buffer[], body: Uint8Array): Uint8Array[] {
  return [...route, EMPTY, body];
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
    const sent = this.#tail.then(() => this.socket.send(frames));
    // The next send waits for this one whether it worked or not.
    this.#tail = sent.catch(() => undefined);
    return sent;
  }
}
