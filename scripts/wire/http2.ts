import type { ByteQueue } from "./bytes.js";
import { describeProtobuf, GRPC_STATUS, schemasOf } from "./grpc-messages.js";
import { HpackDecoder, type Header } from "./hpack.js";
import type { DecoderFactory, Direction, WireMessage } from "./message.js";
import { guardedDecoder } from "./raw.js";

/**
 * HTTP/2 (lesson 11's transport), one line per frame. After the client's 24-byte preface,
 * everything is a frame:
 *
 *   offset 0  u24  payload length        offset 4  u8   flags
 *   offset 3  u8   type                  offset 5  u32  stream id (top bit reserved)
 *   offset 9  the payload
 *
 * HEADERS and CONTINUATION carry HPACK blocks (hpack.ts); DATA carries gRPC's prefixed
 * messages (grpc-messages.ts), named by the schema of the stream's :path. Both directions of
 * a connection share what a stream calls, so a reply is read with its request's method.
 */
const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");
const FRAME_HEADER = 9;
/** The largest frame HTTP/2 allows (SETTINGS_MAX_FRAME_SIZE can go no higher). */
const MAX_FRAME = 2 ** 24 - 1;
/** A header block (HEADERS + CONTINUATIONs) or a gRPC message larger is not buffered. */
const MAX_BLOCK = 1024 * 1024;
const MAX_MESSAGE = 4 * 1024 * 1024;
/** Streams remembered per connection; the oldest is forgotten past this. */
const MAX_STREAMS = 1000;

const TYPES = [
  "DATA", "HEADERS", "PRIORITY", "RST_STREAM", "SETTINGS", "PUSH_PROMISE", "PING", "GOAWAY",
  "WINDOW_UPDATE", "CONTINUATION",
]; // prettier-ignore
const Type = { DATA: 0, HEADERS: 1, RST_STREAM: 3, SETTINGS: 4, PING: 6, GOAWAY: 7, WINDOW_UPDATE: 8, CONTINUATION: 9 } as const; // prettier-ignore
const Flag = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 };
const SETTINGS = [
  "", "HEADER_TABLE_SIZE", "ENABLE_PUSH", "MAX_CONCURRENT_STREAMS", "INITIAL_WINDOW_SIZE",
  "MAX_FRAME_SIZE", "MAX_HEADER_LIST_SIZE",
]; // prettier-ignore
const ERRORS = [
  "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT",
  "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR",
  "CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
]; // prettier-ignore

/** What both directions of one connection know about its streams: the :path each calls. */
type Paths = Map<number, string>;
const pathsOf = new WeakMap<object, Paths>();

/** One direction's unfinished gRPC message on a stream. */
interface Partial {
  chunks: Buffer[];
  bytes: number;
  /** Bytes still to pass of a message too large to show. */
  skip: number;
  /** Over the bound of bytes held for all streams: this stream's data is no longer read. */
  lost?: boolean;
}

/** Bytes of unfinished gRPC messages one direction holds, over all its streams. */
const MAX_HELD = 16 * 1024 * 1024;

export const http2Decoder: DecoderFactory = (direction, connection = {}) => {
  let paths = pathsOf.get(connection);
  if (!paths) pathsOf.set(connection, (paths = new Map()));
  const hpack = new HpackDecoder();
  const partial = new Map<number, Partial>();
  let preface = direction === "to-server";
  /** A header block waiting for its CONTINUATION frames. */
  let block: { stream: number; flags: number; parts: Buffer[]; bytes: number } | undefined;

  const state: State = { paths, partial, direction, held: 0 };
  return guardedDecoder((queue: ByteQueue) => {
    if (preface) {
      if (queue.length < PREFACE.length) return undefined;
      const bytes = queue.take(PREFACE.length);
      if (!bytes.equals(PREFACE)) throw new Error("not the HTTP/2 connection preface");
      preface = false;
      return {
        size: bytes.length,
        title: "HTTP/2 connection preface (PRI * HTTP/2.0 … SM)",
        lines: [],
        label: "preface",
        chatter: true,
      };
    }
    if (queue.length < FRAME_HEADER) return undefined;
    const head = queue.peek(FRAME_HEADER);
    const length = head.readUIntBE(0, 3);
    if (length > MAX_FRAME) throw new Error(`a frame of ${length} bytes`);
    if (queue.length < FRAME_HEADER + length) return undefined;
    const frame = queue.take(FRAME_HEADER + length);
    const type = frame[3]!;
    const flags = frame[4]!;
    const stream = frame.readUInt32BE(5) & 0x7fffffff;
    const payload = frame.subarray(FRAME_HEADER);

    if (block && type !== Type.CONTINUATION) throw new Error("a header block left unfinished");
    const message = describeFrame(state, type, flags, stream, payload);
    if (type === Type.HEADERS || type === Type.CONTINUATION) {
      const fragment = type === Type.HEADERS ? headerFragment(flags, payload) : payload;
      if (type === Type.CONTINUATION) {
        if (!block || block.stream !== stream) throw new Error("a CONTINUATION out of place");
      } else block = { stream, flags, parts: [], bytes: 0 };
      block.parts.push(fragment);
      block.bytes += fragment.length;
      if (block.bytes > MAX_BLOCK) throw new Error("a header block over 1 MiB");
      if (flags & Flag.END_HEADERS) {
        const headers = hpack.decode(Buffer.concat(block.parts));
        describeHeaders(state, message, block.stream, block.flags, headers);
        block = undefined;
      } else message.title += ", the block continues";
    }
    message.size = frame.length;
    return message;
  });
};

type State = {
  paths: Paths;
  partial: Map<number, Partial>;
  direction: Direction;
  /** Bytes held in `partial`, over all streams. */
  held: number;
};

function flagNames(type: number, flags: number): string {
  const names: string[] = [];
  if (type === Type.SETTINGS || type === Type.PING) {
    if (flags & Flag.ACK) names.push("ACK");
  } else {
    if (flags & Flag.END_STREAM && (type === Type.DATA || type === Type.HEADERS))
      names.push("END_STREAM");
    if (flags & Flag.END_HEADERS && type !== Type.DATA) names.push("END_HEADERS");
    if (flags & Flag.PADDED) names.push("PADDED");
    if (flags & Flag.PRIORITY && type === Type.HEADERS) names.push("PRIORITY");
  }
  return names.length ? ` [${names.join(" ")}]` : "";
}

function describeFrame(
  state: State,
  type: number,
  flags: number,
  stream: number,
  payload: Buffer,
): WireMessage {
  const name = TYPES[type] ?? `unknown type ${type}`;
  const where = stream ? ` stream ${stream}` : "";
  const message: WireMessage = {
    size: 0,
    title: `${name}${where}${flagNames(type, flags)}, ${payload.length} B`,
    lines: [],
    label: name,
  };
  switch (type) {
    case Type.DATA:
      describeData(state, message, stream, flags, unpad(flags, payload));
      break;
    case Type.SETTINGS: {
      const pairs: string[] = [];
      for (let at = 0; at + 6 <= payload.length; at += 6) {
        const id = payload.readUInt16BE(at);
        pairs.push(`${SETTINGS[id] || `setting ${id}`}=${payload.readUInt32BE(at + 2)}`);
      }
      if (pairs.length) message.title += `: ${pairs.join(", ")}`;
      message.label = flags & Flag.ACK ? "SETTINGS ACK" : "SETTINGS";
      message.chatter = true;
      break;
    }
    case Type.WINDOW_UPDATE:
      if (payload.length >= 4) message.title += `: +${payload.readUInt32BE(0) & 0x7fffffff} bytes`;
      message.chatter = true;
      break;
    case Type.PING:
      message.title += `: ${payload.toString("hex")}`;
      message.label = flags & Flag.ACK ? "PING ACK" : "PING";
      message.chatter = true;
      break;
    case Type.RST_STREAM: {
      const code = payload.length >= 4 ? payload.readUInt32BE(0) : -1;
      message.title += `: ${ERRORS[code] ?? code}`;
      message.label = `RST_STREAM ${ERRORS[code] ?? code}`;
      message.endsCall = true;
      forget(state, stream);
      break;
    }
    case Type.GOAWAY: {
      if (payload.length >= 8) {
        const code = payload.readUInt32BE(4);
        message.title += `: last stream ${payload.readUInt32BE(0) & 0x7fffffff}, ${ERRORS[code] ?? code}`;
        const debug = payload.subarray(8).toString("latin1");
        if (debug) message.lines.push(`debug data: ${JSON.stringify(debug.slice(0, 200))}`);
      }
      message.chatter = true;
      break;
    }
  }
  return message;
}

/** HEADERS may start with a pad length and a priority (5 bytes) before the block. */
function headerFragment(flags: number, payload: Buffer): Buffer {
  let body = unpad(flags, payload);
  if (flags & Flag.PRIORITY) {
    if (body.length < 5) throw new Error("a HEADERS frame too short for its priority");
    body = body.subarray(5);
  }
  return body;
}

function unpad(flags: number, payload: Buffer): Buffer {
  if (!(flags & Flag.PADDED)) return payload;
  const pad = payload[0] ?? 0;
  if (1 + pad > payload.length) throw new Error("padding longer than the frame");
  return payload.subarray(1, payload.length - pad);
}

function describeHeaders(
  state: State,
  message: WireMessage,
  stream: number,
  flags: number,
  headers: Header[],
): void {
  const get = (name: string) => headers.find(([key]) => key === name)?.[1];
  message.lines.push(...headers.map(([name, value]) => `${name}: ${value.slice(0, 500)}`));
  const path = get(":path");
  const status = get("grpc-status");
  if (state.direction === "to-server" && path !== undefined) {
    remember(state, stream, path);
    message.title += `: ${get(":method") ?? "?"} ${path}`;
    message.label = `${path.split("/").pop()} (stream ${stream})`;
    message.startsCall = true;
  } else if (status !== undefined) {
    const text = `grpc-status ${status} ${GRPC_STATUS[Number(status)] ?? ""}`.trim();
    const detail = get("grpc-message");
    const trailersOnly = get(":status") !== undefined;
    message.title += `: ${trailersOnly ? `:status ${get(":status")}, trailers-only, ` : "trailers, "}${text}${detail ? ` (${decodeURIComponent(detail)})` : ""}`;
    message.label = `${text}${detail ? `: ${decodeURIComponent(detail)}` : ""}`;
  } else if (get(":status") !== undefined) {
    message.title += `: :status ${get(":status")} ${get("content-type") ?? ""}`.trimEnd();
    message.label = `:status ${get(":status")}`;
  }
  if (state.direction === "to-client" && flags & Flag.END_STREAM) {
    message.endsCall = true;
    forget(state, stream);
  }
}

function describeData(
  state: State,
  message: WireMessage,
  stream: number,
  flags: number,
  payload: Buffer,
): void {
  let data = payload;
  const schemas = schemasOf(state.paths.get(stream));
  const schema = state.direction === "to-server" ? schemas?.request : schemas?.response;
  const part = state.partial.get(stream) ?? { chunks: [], bytes: 0, skip: 0 };
  if (part.lost) {
    message.lines.push("not decoded: this stream's messages passed the memory bound");
    return;
  }
  const before = part.bytes;
  if (part.skip > 0) {
    const passed = Math.min(part.skip, data.length);
    part.skip -= passed;
    data = data.subarray(passed);
    message.lines.push(`${passed} B more of that large message`);
  }
  if (data.length > 0) {
    part.chunks.push(data);
    part.bytes += data.length;
  }
  const labels: string[] = [];
  // Every whole message buffered so far: a 5-byte prefix and the bytes it announces. The
  // chunks are joined once, when a message is complete: linear in what passes.
  while (part.bytes >= 5) {
    const prefix = firstBytes(part.chunks, 5);
    const compressed = prefix[0]!;
    const length = prefix.readUInt32BE(1);
    if (length > MAX_MESSAGE) {
      message.lines.push(`gRPC message of ${length} bytes: over 4 MiB, not shown`);
      const held = part.bytes - 5;
      part.chunks = [];
      part.bytes = 0;
      part.skip = Math.max(0, length - held);
      break;
    }
    if (part.bytes < 5 + length) break;
    const joined = part.chunks.length === 1 ? part.chunks[0]! : Buffer.concat(part.chunks);
    const body = joined.subarray(5, 5 + length);
    const text = compressed ? `compressed, ${length} B` : describeProtobuf(body, schema);
    message.lines.push(`gRPC message, ${length} B: ${text}`);
    labels.push(text);
    part.chunks = joined.length > 5 + length ? [joined.subarray(5 + length)] : [];
    part.bytes -= 5 + length;
  }
  state.held += part.bytes - before;
  if (state.held > MAX_HELD) {
    message.lines.push("not decoded: over 16 MiB of unfinished messages held");
    state.held -= part.bytes;
    Object.assign(part, { chunks: [], bytes: 0, skip: 0, lost: true });
  }
  if (part.bytes > 0) message.lines.push(`${part.bytes} B of a gRPC message so far`);
  if (part.bytes > 0 || part.skip > 0 || part.lost) {
    state.partial.set(stream, part);
    if (state.partial.size > MAX_STREAMS) forget(state, state.partial.keys().next().value!);
  } else state.partial.delete(stream);
  if (labels.length) {
    message.title += `: ${labels.join("; ")}`;
    message.label = labels.join("; ");
  }
  if (state.direction === "to-client" && flags & Flag.END_STREAM) {
    message.endsCall = true;
    forget(state, stream);
  }
}

/** The first `n` bytes of a list of chunks, joining only the chunks they span. */
function firstBytes(chunks: Buffer[], n: number): Buffer {
  if (chunks[0]!.length >= n) return chunks[0]!;
  const parts: Buffer[] = [];
  let bytes = 0;
  for (const chunk of chunks) {
    if (bytes >= n) break;
    parts.push(chunk);
    bytes += chunk.length;
  }
  return Buffer.concat(parts).subarray(0, n);
}

function remember(state: State, stream: number, path: string): void {
  state.paths.set(stream, path);
  if (state.paths.size > MAX_STREAMS) state.paths.delete(state.paths.keys().next().value!);
}

/** The stream is over: what it called is needed no more. */
function forget(state: State, stream: number): void {
  state.paths.delete(stream);
  state.held -= state.partial.get(stream)?.bytes ?? 0;
  state.partial.delete(stream);
}
