import type { DecoderFactory, WireMessage } from "../wire/message.js";
import { PROTOCOLS } from "../wire/protocols.js";
import { guardedDecoder } from "../wire/raw.js";

/**
 * HTTP/2 frames in one line each (type, stream, flags, size), and a DATA frame's gRPC
 * messages by their 5-byte prefix; header blocks stay HPACK-compressed, shown as hex. It is the
 * transcript of lesson 11 until `npm run wire` has a decoder for grpc://, which then wins.
 */
const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
const TYPES = [
  "DATA",
  "HEADERS",
  "PRIORITY",
  "RST_STREAM",
  "SETTINGS",
  "PUSH_PROMISE",
  "PING",
  "GOAWAY",
  "WINDOW_UPDATE",
  "CONTINUATION",
];

function flagNames(type: number, flags: number): string[] {
  const names: string[] = [];
  if ((type === 0 || type === 1) && flags & 0x1) names.push("END_STREAM");
  if ((type === 4 || type === 6) && flags & 0x1) names.push("ACK");
  if ((type === 1 || type === 9) && flags & 0x4) names.push("END_HEADERS");
  return names;
}

export const h2FrameSummary: DecoderFactory = (direction) => {
  let prefaceSeen = direction === "to-client";
  return guardedDecoder((queue) => {
    if (!prefaceSeen) {
      if (queue.length < PREFACE.length) return undefined;
      const preface = queue.take(PREFACE.length);
      prefaceSeen = true;
      return {
        size: preface.length,
        title: "HTTP/2 connection preface",
        lines: [],
        label: "preface",
        chatter: true,
      };
    }
    if (queue.length < 9) return undefined;
    const header = queue.peek(9);
    const length = header.readUIntBE(0, 3);
    if (queue.length < 9 + length) return undefined;
    const frame = queue.take(9 + length);
    const type = frame[3]!;
    const stream = frame.readUInt32BE(5) & 0x7fffffff;
    const name = TYPES[type] ?? `type ${type}`;
    const flags = flagNames(type, frame[4]!);
    const payload = frame.subarray(9);
    const message: WireMessage = {
      size: frame.length,
      title: `HTTP/2 ${name} stream ${stream}${flags.length ? ` [${flags.join(", ")}]` : ""}, ${length} B`,
      lines: [],
      label: name,
      chatter: type !== 0 && type !== 1 && type !== 3,
    };
    if (type === 0 && payload.length >= 5) {
      const compressed = payload[0];
      const size = payload.readUInt32BE(1);
      message.lines.push(`gRPC message: compressed ${compressed}, ${size} B`);
      message.raw = payload.subarray(5, 5 + Math.min(size, 64));
    } else if (type === 3 && payload.length >= 4) {
      message.lines.push(`error code ${payload.readUInt32BE(0)}`);
    } else if (type === 1) {
      message.lines.push("header block (HPACK), not decoded here");
      message.raw = payload.subarray(0, 48);
    }
    return message;
  });
};

/** The wire decoder for gRPC when one exists, else the frame summary above. */
export const grpcTranscriptDecoder: DecoderFactory =
  (Object.hasOwn(PROTOCOLS, "grpc:") ? PROTOCOLS["grpc:"]?.decoder : undefined) ?? h2FrameSummary;
