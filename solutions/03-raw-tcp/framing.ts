import { RpcError } from "../../shared/rpc-error.js";

/**
 * TCP delivers a stream of bytes, not messages: one `data` event may hold half a message, or
 * three and a bit. Framing puts the message boundaries back. Every frame is an 8-byte header,
 * then the body:
 *
 *   offset 0  u32 big-endian  body length n (the header itself not counted)
 *   offset 4  u32 big-endian  request ID: chosen by the client, copied into the reply,
 *                             so that replies can arrive in any order
 *   offset 8  n bytes         the body: a call or a reply of lesson 2 (messages.ts)
 */
export const HEADER_BYTES = 8;

/** A body larger than this is refused before any of it is buffered. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

export interface Frame {
  requestId: number;
  body: Uint8Array;
}

/** Header and body in one buffer, so that one socket.write sends the whole frame. */
export function encodeFrame(
  requestId: number,
  body: Uint8Array,
  maxFrameBytes = DEFAULT_MAX_FRAME_BYTES,
): Uint8Array {
  if (body.length > maxFrameBytes) {
    throw new RpcError(
      "too_large",
      `a frame of ${body.length} bytes is over the limit of ${maxFrameBytes}`,
    );
  }
  // From Node's buffer pool, like the serializer's Writer: one frame per call adds up.
  const frame = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  frame.writeUInt32BE(body.length, 0);
  frame.writeUInt32BE(requestId, 4);
  frame.set(body, HEADER_BYTES);
  return frame;
}

/**
 * Turns chunks, cut anywhere, back into frames. It keeps the chunks in a list and copies bytes
 * only to join the pieces of one frame that arrived split; a frame inside one chunk is
 * returned as a view of it. Appending each chunk to one growing buffer instead would copy
 * everything received so far on every chunk: quadratic in the size of a frame.
 */
export class FrameDecoder {
  readonly #chunks: Uint8Array[] = [];
  /** Bytes in #chunks. */
  #buffered = 0;
  /** The header of the frame being collected, once its 8 bytes are in. */
  #header: { length: number; requestId: number } | undefined;
  /** Set by the first frame over the limit: the stream is lost, so is this decoder. */
  #failed: RpcError | undefined;

  constructor(readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {}

  /** Bytes received but not yet returned as part of a frame. */
  get bufferedBytes(): number {
    return this.#buffered + (this.#header ? HEADER_BYTES : 0);
  }

  /**
   * Adds a chunk and returns every frame it completes (often none, sometimes many).
   * Throws RpcError("too_large") as soon as a header announces a body over the limit; the
   * stream cannot be trusted after that, so the connection should be closed. A failed decoder
   * drops what it held and throws the same error on every later push.
   */
  push(chunk: Uint8Array): Frame[] {
    if (this.#failed) throw this.#failed;
    if (chunk.length > 0) {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
    }
    const frames: Frame[] = [];
    for (;;) {
      if (!this.#header) {
        if (this.#buffered < HEADER_BYTES) break;
        const header = this.#take(HEADER_BYTES);
        const length = readU32(header, 0);
        if (length > this.maxFrameBytes) {
          this.#failed = new RpcError(
            "too_large",
            `a frame announces ${length} bytes, over the limit of ${this.maxFrameBytes}`,
          );
          this.#chunks.length = 0;
          this.#buffered = 0;
          throw this.#failed;
        }
        this.#header = { length, requestId: readU32(header, 4) };
      }
      if (this.#buffered < this.#header.length) break;
      frames.push({ requestId: this.#header.requestId, body: this.#take(this.#header.length) });
      this.#header = undefined;
    }
    return frames;
  }

  /** Removes `length` bytes from the front: a view when one chunk holds them, else a copy. */
  #take(length: number): Uint8Array {
    this.#buffered -= length;
    const first = this.#chunks[0];
    if (!first || first.length >= length) {
      if (!first) return new Uint8Array(0);
      if (first.length === length) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(length);
      return first.subarray(0, length);
    }
    const joined = new Uint8Array(length);
    let filled = 0;
    let used = 0; // chunks consumed whole
    while (filled < length) {
      const chunk = this.#chunks[used]!;
      const part = Math.min(chunk.length, length - filled);
      joined.set(chunk.subarray(0, part), filled);
      filled += part;
      if (part === chunk.length) used += 1;
      else this.#chunks[used] = chunk.subarray(part);
    }
    this.#chunks.splice(0, used);
    return joined;
  }
}

/** A big-endian u32, read without a DataView: one per frame adds up with many frames. */
function readU32(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0
  );
}
