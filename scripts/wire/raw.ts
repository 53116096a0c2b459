import { ByteQueue } from "./bytes.js";
import type { StreamDecoder, WireMessage } from "./message.js";
import { hexDump } from "./hex.js";

/** Bytes no decoder understands: each chunk as it came, in hex. */
export function rawMessage(bytes: Uint8Array, why: string): WireMessage {
  return { size: bytes.length, title: `raw bytes (${why})`, lines: [], raw: bytes, label: "bytes" };
}

export function rawDecoder(why = "unknown protocol"): StreamDecoder {
  return {
    push: (chunk) => (chunk.length ? [rawMessage(chunk, why)] : []),
    end: () => [],
  };
}

/** The most a decoder holds of one message: past it, the rest of the stream is shown raw. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * Wraps a message parser so that bad bytes never stop the proxy: the first error turns the
 * rest of the stream into raw hex. `parse` takes complete messages off the queue and returns
 * undefined when it needs more bytes.
 */
export function guardedDecoder(
  parse: (queue: ByteQueue) => WireMessage | undefined,
  maxBuffered = MAX_MESSAGE_BYTES,
): StreamDecoder {
  const queue = new ByteQueue();
  let broken: string | undefined;
  return {
    push(chunk) {
      if (broken) return chunk.length ? [rawMessage(chunk, broken)] : [];
      queue.push(chunk);
      const out: WireMessage[] = [];
      try {
        for (let message = parse(queue); message; message = parse(queue)) out.push(message);
        if (queue.length > maxBuffered) throw new Error(`over ${maxBuffered} bytes in one message`);
      } catch (error) {
        broken = `not decoded: ${(error as Error).message}`;
        const rest = queue.takeAll();
        if (rest.length) out.push(rawMessage(rest, broken));
      }
      return out;
    },
    end() {
      const rest = queue.takeAll();
      return rest.length ? [rawMessage(rest, "incomplete message at close")] : [];
    },
  };
}
