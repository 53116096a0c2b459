import { RpcError } from "../../shared/rpc-error.js";

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

export function encodeGrpcMessage(message: Uint8Array): Buffer {
  const framed = Buffer.allocUnsafe(PREFIX_BYTES + message.length);
  framed[0] = 0;
  framed.writeUInt32BE(message.length, 1);
  framed.set(message, PREFIX_BYTES);
  return framed;
}

/** Turns the DATA chunks of one stream, cut anywhere, back into messages. */
export class GrpcMessageDecoder {
  #pending: Buffer = Buffer.alloc(0);
  readonly #chunks: Buffer[] = [];
  #buffered = 0;
  /** Bytes the next message needs in all, once its prefix is read: no joining before then. */
  #need = PREFIX_BYTES;

  constructor(readonly maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES) {}

  /** Bytes of an unfinished message: non-zero when the stream ends means a truncated message. */
  get bufferedBytes(): number {
    return this.#buffered;
  }

  push(chunk: Buffer): Uint8Array[] {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    const messages: Uint8Array[] = [];
    while (this.#buffered >= this.#need) {
      this.#join();
      const flag = this.#pending[0]!;
      const length = this.#pending.readUInt32BE(1);
      if (flag !== 0) throw new RpcError("bad_message", "compressed messages are not supported");
      if (length > this.maxMessageBytes) {
        throw new RpcError(
          "too_large",
          `message of ${length} bytes, limit ${this.maxMessageBytes}`,
        );
      }
      this.#need = PREFIX_BYTES + length;
      if (this.#buffered < this.#need) break;
      messages.push(this.#pending.subarray(PREFIX_BYTES, PREFIX_BYTES + length));
      this.#pending = this.#pending.subarray(PREFIX_BYTES + length);
      this.#buffered -= PREFIX_BYTES + length;
      this.#need = PREFIX_BYTES;
    }
    return messages;
  }

  // Joins the waiting chunks once per push that needs them: each byte is copied once or twice.
  #join(): void {
    if (this.#chunks.length === 0) return;
    this.#pending = Buffer.concat([this.#pending, ...this.#chunks.splice(0)]);
  }
}
