import { todo } from "../../shared/todo.js";

/**
 * Every gRPC message on an HTTP/2 stream gets a 5-byte prefix (lesson 3's framing again,
 * without the request ID: the stream itself says which call a message belongs to):
 *
 *   offset 0  u8              compressed flag: 0 = plain (we never compress)
 *   offset 1  u32 big-endian  message length n
 *   offset 5  n bytes         the protobuf message
 */
export const PREFIX_BYTES = 5;

/** gRPC's usual default for a received message: 4 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** The prefix and the message in one buffer, for one stream.write. */
export function encodeGrpcMessage(_message: Uint8Array): Buffer {
  return todo("task 4: encodeGrpcMessage");
}

/** Turns the DATA chunks of one stream, cut anywhere, back into messages. */
export class GrpcMessageDecoder {
  constructor(readonly maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES) {}

  /** Bytes of an unfinished message: non-zero when the stream ends means a truncated message. */
  get bufferedBytes(): number {
    return todo("task 4: GrpcMessageDecoder.bufferedBytes");
  }

  /**
   * Adds a chunk and returns every message it completes. A prefix announcing more than
   * maxMessageBytes is RpcError("too_large") at once, before the body is buffered; a set
   * compressed flag is RpcError("bad_message"). Copy each byte a bounded number of times:
   * joining everything received on every chunk would be quadratic.
   */
  push(_chunk: Buffer): Uint8Array[] {
    return todo("task 4: GrpcMessageDecoder.push");
  }
}
