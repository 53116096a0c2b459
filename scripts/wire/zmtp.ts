import { decodeEvent, EVENT } from "../../solutions/07-zeromq/events.js";
import type { ByteQueue } from "./bytes.js";
import { argList, brief, type DecoderFactory, type WireMessage } from "./message.js";
import { guardedDecoder } from "./raw.js";

/**
 * ZMTP 3 (lesson 7), as ZeroMQ sends it over TCP:
 *
 *   greeting  64 bytes   FF, 8 bytes padding, 7F, version major, minor, mechanism (20 bytes,
 *                        "NULL" padded with zeros), as-server (1), filler (31)
 *   frame     flags (1)  bit 0 MORE (another frame of this message follows), bit 1 LONG
 *                        (8-byte size), bit 2 COMMAND (READY, PING...: not a message)
 *             size       1 byte, or 8 bytes big-endian when LONG
 *             body       size bytes; a command body is name length (1), name, data
 *
 * A message is its frames up to the one without MORE; zerorpc's last frame is a msgpack event.
 */
const GREETING_BYTES = 64;

interface Frame {
  flags: number;
  body: Buffer;
  wireBytes: number;
}

export const zmtpDecoder: DecoderFactory = (direction) => {
  let greeted = false;
  let parts: Frame[] = [];
  return guardedDecoder((queue) => {
    if (!greeted) {
      if (queue.length < GREETING_BYTES) {
        const start = queue.peek(10);
        if (start.length >= 1 && start[0] !== 0xff) throw new Error("not a ZMTP greeting");
        return undefined;
      }
      greeted = true;
      return greeting(queue.take(GREETING_BYTES));
    }
    for (;;) {
      const frame = readFrame(queue);
      if (!frame) return undefined;
      if (frame.flags & 0x04) return command(frame);
      parts.push(frame);
      if (frame.flags & 0x01) continue;
      const message = zerorpcMessage(parts, direction);
      parts = [];
      return message;
    }
  });
};

function greeting(bytes: Buffer): WireMessage {
  if (bytes[0] !== 0xff || bytes[9] !== 0x7f) throw new Error("not a ZMTP greeting");
  const mechanism = bytes.subarray(12, 32).toString("latin1").replace(/\0+$/, "");
  const version = `${bytes[10]}.${bytes[11]}`;
  return {
    size: bytes.length,
    title: `ZMTP greeting: version ${version}, mechanism ${mechanism}, as-server ${bytes[32]}`,
    lines: [],
    raw: bytes,
    label: `greeting ZMTP ${version} ${mechanism}`,
    chatter: true,
  };
}

function readFrame(queue: ByteQueue): Frame | undefined {
  if (queue.length < 2) return undefined;
  const flags = queue.peek(1)[0]!;
  if (flags & 0xf8) throw new Error(`reserved frame flag bits set: 0x${flags.toString(16)}`);
  const long = (flags & 0x02) !== 0;
  const headerBytes = long ? 9 : 2;
  if (queue.length < headerBytes) return undefined;
  const header = queue.peek(headerBytes);
  const size = long ? Number(header.readBigUInt64BE(1)) : header[1]!;
  if (!Number.isSafeInteger(size)) throw new Error("frame size too large");
  if (queue.length < headerBytes + size) return undefined;
  const whole = queue.take(headerBytes + size);
  return { flags, body: whole.subarray(headerBytes), wireBytes: whole.length };
}

function command(frame: Frame): WireMessage {
  const nameLength = frame.body[0] ?? 0;
  const name = frame.body.subarray(1, 1 + nameLength).toString("latin1");
  const data = frame.body.subarray(1 + nameLength);
  const lines: string[] = [];
  if (name === "READY") {
    for (let at = 0; at < data.length;) {
      const keyLength = data[at]!;
      const key = data.subarray(at + 1, at + 1 + keyLength).toString("latin1");
      at += 1 + keyLength;
      if (at + 4 > data.length) break;
      const valueLength = data.readUInt32BE(at);
      const value = data.subarray(at + 4, at + 4 + valueLength).toString("latin1");
      at += 4 + valueLength;
      lines.push(`${key}: ${value}`);
    }
  }
  const props = lines.length ? ` (${lines.join(", ")})` : "";
  return {
    size: frame.wireBytes,
    title: `ZMTP command ${name}${props}`,
    lines: [],
    raw: frame.body,
    label: name,
    chatter: true,
  };
}

function zerorpcMessage(frames: Frame[], direction: "to-server" | "to-client"): WireMessage {
  const size = frames.reduce((sum, f) => sum + f.wireBytes, 0);
  const lines = frames.map(
    (f, i) =>
      `frame ${i + 1}/${frames.length}: ${f.body.length} bytes${f.flags & 0x01 ? ", MORE" : ""}${
        f.body.length === 0 ? " (empty delimiter)" : ""
      }`,
  );
  const last = frames[frames.length - 1]!.body;
  const head = `ZMTP message, ${frames.length} frame${frames.length > 1 ? "s" : ""}`;
  try {
    const event = decodeEvent(last);
    const { message_id: id, response_to: to, v } = event.header as Record<string, unknown>;
    lines.push(
      `zerorpc event: v ${brief(v)}, message_id ${brief(id)}${to !== undefined ? `, response_to ${brief(to)}` : ""}`,
      `  name ${JSON.stringify(event.name)}, args ${brief(event.args, 200)}`,
    );
    const heartbeat = event.name === EVENT.HEARTBEAT;
    const reply = ["OK", "ERR", "STREAM", "STREAM_DONE"].includes(event.name);
    const label = heartbeat
      ? "heartbeat"
      : reply
        ? `${event.name} ${argList(event.args)}`
        : `${event.name}(${argList(event.args)})`;
    return {
      size,
      title: `${head}: zerorpc ${heartbeat ? "HEARTBEAT (_zpc_hb)" : label}`,
      lines,
      raw: last,
      label,
      chatter: heartbeat || event.name === EVENT.MORE,
      endsCall: ["OK", "ERR", "STREAM_DONE"].includes(event.name),
      startsCall: direction === "to-server" && !heartbeat && !reply && event.name !== EVENT.MORE,
    };
  } catch (error) {
    lines.push(`(not a zerorpc event: ${(error as Error).message})`);
    return { size, title: head, lines, raw: last, label: `${frames.length} frames` };
  }
}
