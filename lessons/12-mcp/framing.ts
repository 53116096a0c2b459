import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";

/**
 * Two ways to find where one JSON message ends on a byte stream (a pipe, a socket):
 *
 *   MCP over stdio   {"jsonrpc":"2.0",...}\n           one message per line, no newline inside
 *   LSP              Content-Length: 27\r\n\r\n{...}    headers, a blank line, then that many bytes
 *
 * Both keep at most `maxMessageBytes` of one message: a longer one is refused without being
 * held, so a 100 MB line costs no more memory than a short one.
 */

export const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** The header part of an LSP message is a few dozen bytes; 8 KiB is plenty. */
export const MAX_HEADER_BYTES = 8 * 1024;

/** What a decoder hands back: the text of a message, or why one was thrown away. */
export type Frame = string | RpcError;

export interface FrameDecoder {
  /**
   * Adds a chunk, cut anywhere, and returns every frame it completes, in order. Throws an
   * RpcError when the stream can no longer be read at all (the connection must close).
   */
  push(chunk: Uint8Array): Frame[];
  /** Bytes of a message not yet complete: non-zero when the stream ends means it was cut short. */
  readonly bufferedBytes: number;
}

export interface Framing {
  name: "newline" | "content-length";
  encode(text: string): Buffer;
  decoder(maxMessageBytes?: number): FrameDecoder;
}

/** A message as one line: JSON.stringify never writes a raw newline, so "\n" ends it. */
export function encodeLine(_text: string): Buffer {
  return todo("task 1: encodeLine");
}

/**
 * Splits a byte stream at "\n" (a "\r" before it is dropped; empty lines are skipped). A line
 * longer than the limit yields one RpcError("too_large") in its place; its bytes are
 * dropped as they arrive, up to the next "\n", and the lines after it decode as usual.
 * A line may be cut inside a multi-byte UTF-8 character: decode text only from whole lines.
 */
export class LineDecoder implements FrameDecoder {
  constructor(readonly maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES) {}

  get bufferedBytes(): number {
    return todo("task 1: LineDecoder.bufferedBytes");
  }

  push(_chunk: Uint8Array): Frame[] {
    return todo("task 1: LineDecoder.push");
  }
}

/** A message with LSP's header: `Content-Length` counts the UTF-8 bytes of the body. */
export function encodeWithLength(_text: string): Buffer {
  return todo("task 1: encodeWithLength");
}

/**
 * Reads LSP's framing: header lines "Name: value\r\n" up to a blank line, then exactly
 * Content-Length bytes of body. A missing or malformed Content-Length, or a header part over
 * MAX_HEADER_BYTES, is RpcError("bad_message"); a length over the limit is
 * RpcError("too_large") from the header alone. After either the stream cannot be trusted to
 * find the next message: the decoder stays failed and holds nothing.
 */
export class ContentLengthDecoder implements FrameDecoder {
  constructor(readonly maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES) {}

  get bufferedBytes(): number {
    return todo("task 1: ContentLengthDecoder.bufferedBytes");
  }

  push(_chunk: Uint8Array): Frame[] {
    return todo("task 1: ContentLengthDecoder.push");
  }
}

export const newlineFraming: Framing = {
  name: "newline",
  encode: (text) => encodeLine(text),
  decoder: (max) => new LineDecoder(max),
};

export const contentLengthFraming: Framing = {
  name: "content-length",
  encode: (text) => encodeWithLength(text),
  decoder: (max) => new ContentLengthDecoder(max),
};
