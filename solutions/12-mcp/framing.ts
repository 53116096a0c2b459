import { RpcError } from "../../shared/rpc-error.js";

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

const NEWLINE = 0x0a;

/** A message as one line: JSON.stringify never writes a raw newline, so "\n" ends it. */
export function encodeLine(text: string): Buffer {
  return Buffer.from(`${text}\n`, "utf8");
}

/**
 * Splits a byte stream at "\n" (a "\r" before it is dropped; empty lines are skipped). A line
 * longer than the limit yields one RpcError("too_large") in its place; its bytes are
 * dropped as they arrive, up to the next "\n", and the lines after it decode as usual.
 * A line may be cut inside a multi-byte UTF-8 character: decode text only from whole lines.
 */
export class LineDecoder implements FrameDecoder {
  #parts: Buffer[] = [];
  #length = 0;
  /** True while dropping the rest of a line that was too long. */
  #skipping = false;

  constructor(readonly maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES) {}

  get bufferedBytes(): number {
    return this.#length;
  }

  push(chunk: Uint8Array): Frame[] {
    const frames: Frame[] = [];
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    while (start < bytes.length) {
      const end = bytes.indexOf(NEWLINE, start);
      const piece = bytes.subarray(start, end === -1 ? bytes.length : end);
      start = end === -1 ? bytes.length : end + 1;
      if (!this.#skipping) {
        if (this.#length + piece.length > this.maxMessageBytes) {
          frames.push(
            new RpcError("too_large", `a line longer than ${this.maxMessageBytes} bytes`),
          );
          this.#parts = [];
          this.#length = 0;
          this.#skipping = true;
        } else if (piece.length > 0) {
          // Copied: the caller may reuse the chunk's memory once push returns.
          this.#parts.push(Buffer.from(piece));
          this.#length += piece.length;
        }
      }
      if (end === -1) break;
      if (this.#skipping) {
        this.#skipping = false;
        continue;
      }
      let line = Buffer.concat(this.#parts, this.#length).toString("utf8");
      this.#parts = [];
      this.#length = 0;
      if (line.endsWith("\r")) line = line.slice(0, -1);
      if (line.trim() !== "") frames.push(line);
    }
    return frames;
  }
}

/** A message with LSP's header: `Content-Length` counts the UTF-8 bytes of the body. */
export function encodeWithLength(text: string): Buffer {
  const body = Buffer.from(text, "utf8");
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]);
}

/**
 * Reads LSP's framing: header lines "Name: value\r\n" up to a blank line, then exactly
 * Content-Length bytes of body. A missing or malformed Content-Length, or a header part over
 * MAX_HEADER_BYTES, is RpcError("bad_message"); a length over the limit is
 * RpcError("too_large") from the header alone. After either the stream cannot be trusted to
 * find the next message: the decoder stays failed and holds nothing.
 */
export class ContentLengthDecoder implements FrameDecoder {
  #buffer = Buffer.alloc(0);
  /** The body length once the headers are read; undefined while reading headers. */
  #bodyLength: number | undefined;
  #failed: RpcError | undefined;

  constructor(readonly maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES) {}

  get bufferedBytes(): number {
    return this.#buffer.length;
  }

  push(chunk: Uint8Array): Frame[] {
    if (this.#failed) throw this.#failed;
    // Appending copies what is buffered; bodies are bounded, so this stays linear per message.
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      if (this.#bodyLength === undefined) {
        const end = this.#buffer.indexOf("\r\n\r\n");
        if (end === -1) {
          if (this.#buffer.length > MAX_HEADER_BYTES) this.#fail("bad_message", "headers too long");
          return frames;
        }
        this.#bodyLength = this.#readLength(this.#buffer.subarray(0, end).toString("latin1"));
        this.#buffer = this.#buffer.subarray(end + 4);
      }
      if (this.#buffer.length < this.#bodyLength) return frames;
      frames.push(this.#buffer.subarray(0, this.#bodyLength).toString("utf8"));
      this.#buffer = this.#buffer.subarray(this.#bodyLength);
      this.#bodyLength = undefined;
    }
  }

  #readLength(headers: string): number {
    let length: number | undefined;
    for (const line of headers.split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon <= 0) this.#fail("bad_message", `not a header line: ${JSON.stringify(line)}`);
      if (line.slice(0, colon).trim().toLowerCase() !== "content-length") continue;
      const value = line.slice(colon + 1).trim();
      if (!/^\d{1,15}$/.test(value)) this.#fail("bad_message", "Content-Length is not a number");
      length = Number(value);
    }
    if (length === undefined) this.#fail("bad_message", "no Content-Length header");
    if (length > this.maxMessageBytes) {
      this.#fail("too_large", `a body of ${length} bytes is over ${this.maxMessageBytes}`);
    }
    return length;
  }

  #fail(code: "bad_message" | "too_large", message: string): never {
    this.#buffer = Buffer.alloc(0);
    this.#failed = new RpcError(code, message);
    throw this.#failed;
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
