import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";

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

/**
 * Task 1. Header and body in one buffer, so that one socket.write sends the whole frame. A
 * body over `maxFrameBytes` throws RpcError "too_large".
 */
export function encodeFrame(
  _requestId: number,
  _body: Uint8Array,
  _maxFrameBytes = DEFAULT_MAX_FRAME_BYTES,
): Uint8Array {
  return todo("task 1: encodeFrame");
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
   * drops what it held and throws the same error on every later push. Task 2.
   */
  push(_chunk: Uint8Array): Frame[] {
    return todo("task 2: FrameDecoder.push");
  }

  /**
   * Task 2. Removes `length` bytes from the front: a view (`subarray`) when the first chunk
   * holds them, else a copy of just those bytes; never a concatenation of everything.
   */
  #take(_length: number): Uint8Array {
    return todo("task 2: FrameDecoder.#take");
  }
}
