import type { ByteQueue } from "./bytes.js";
import { cutText } from "./hex.js";
import { ArgumentReader } from "./amqp-fields.js";
import { methodSpec, PROPERTIES } from "./amqp-methods.js";
import { brief, type DecoderFactory, type WireMessage } from "./message.js";
import { guardedDecoder } from "./raw.js";

/**
 * AMQP 0-9-1 (lessons 8–10). The client opens with the protocol header "AMQP" 0 0 9 1; then
 * both sides send frames:
 *
 *   offset 0   u8    type: 1 method, 2 content header, 3 content body, 8 heartbeat
 *   offset 1   u16   channel (0 is the connection itself)
 *   offset 3   u32   payload size n
 *   offset 7   n     payload
 *   offset 7+n u8    frame end, always 0xCE
 *
 * A method payload is class id (u16), method id (u16), arguments; a content header is class id,
 * weight (u16), body size (u64), property flags (u16), properties; bodies follow in body frames.
 * oslo.messaging's bodies are JSON holding JSON: {"oslo.version", "oslo.message": "<json>"}.
 */
const FRAME_END = 0xce;
const PROTOCOL_HEADER = Buffer.from("AMQP");

export const amqpDecoder: DecoderFactory = (direction) => {
  let started = false;
  /** Per channel: the body being collected after a content header. */
  const bodies = new Map<number, { size: number; parts: Buffer[]; got: number }>();

  return guardedDecoder((queue) => {
    if (!started) {
      const start = queue.peek(4);
      if (start.length < 4) return undefined;
      started = true;
      if (start.equals(PROTOCOL_HEADER)) {
        if (queue.length < 8) {
          started = false;
          return undefined;
        }
        const header = queue.take(8);
        return {
          size: 8,
          title: `protocol header AMQP ${header[5]}-${header[6]}-${header[7]}`,
          lines: [],
          raw: header,
          label: "AMQP 0-9-1 header",
          chatter: true,
        };
      }
    }
    return readFrame(queue, bodies, direction);
  });
};

function readFrame(
  queue: ByteQueue,
  bodies: Map<number, { size: number; parts: Buffer[]; got: number }>,
  direction: "to-server" | "to-client",
): WireMessage | undefined {
  if (queue.length < 7) return undefined;
  const header = queue.peek(7);
  const type = header[0]!;
  const channel = header.readUInt16BE(1);
  const size = header.readUInt32BE(3);
  if (![1, 2, 3, 4, 8].includes(type)) throw new Error(`unknown frame type ${type}`);
  if (queue.length < 8 + size) return undefined;
  const frame = queue.take(8 + size);
  if (frame[7 + size] !== FRAME_END) throw new Error("frame does not end with 0xCE");
  const payload = frame.subarray(7, 7 + size);
  const where = `channel ${channel}`;
  if (type === 8 || type === 4) {
    return {
      size: frame.length,
      title: `heartbeat frame, ${where}`,
      lines: [],
      label: "heartbeat",
      chatter: true,
    };
  }
  if (type === 1) return method(frame, payload, where);
  if (type === 2) {
    const r = new ArgumentReader(payload);
    r.short(); // class id
    r.short(); // weight
    const bodySize = Number(r.longlong());
    const props = properties(r);
    bodies.set(channel, { size: bodySize, parts: [], got: 0 });
    const lines = Object.entries(props).map(([k, v]) => `${k}: ${brief(v, 200)}`);
    const message: WireMessage = {
      size: frame.length,
      title: `content header, ${where}: body ${bodySize} bytes`,
      lines,
      label: `header ${bodySize} bytes`,
      chatter: true,
    };
    if (bodySize === 0) bodies.delete(channel);
    return message;
  }
  // type 3: a body frame, decoded when its body is complete
  const body = bodies.get(channel);
  const message: WireMessage = {
    size: frame.length,
    title: `content body, ${where}: ${payload.length} bytes`,
    lines: [],
    label: `body ${payload.length} bytes`,
    chatter: true,
  };
  if (!body) return message;
  body.parts.push(payload);
  body.got += payload.length;
  if (body.got < body.size) {
    message.title += ` (${body.got} of ${body.size})`;
    return message;
  }
  bodies.delete(channel);
  const meaning = bodyMeaning(Buffer.concat(body.parts));
  message.lines = meaning.lines;
  if (meaning.label) {
    message.label = meaning.label;
    message.chatter = false;
    message.startsCall = direction === "to-server" && meaning.isCall;
    message.endsCall = meaning.isReply;
  }
  return message;
}

function method(frame: Buffer, payload: Buffer, where: string): WireMessage {
  const r = new ArgumentReader(payload);
  const spec = methodSpec(r.short(), r.short());
  const shown: string[] = [];
  const lines: string[] = [];
  try {
    for (const [name, type] of spec.args) {
      const value =
        type === "o"
          ? r.octet()
          : type === "n"
            ? r.short()
            : type === "l"
              ? r.long()
              : type === "L"
                ? Number(r.longlong())
                : type === "s"
                  ? r.shortstr()
                  : type === "S"
                    ? r.longbytes()
                    : type === "b"
                      ? r.bit()
                      : r.table();
      if (name.startsWith("_")) continue;
      if (name.startsWith("!")) {
        shown.push(`${name.slice(1)}=<${(value as Buffer).length} bytes, not shown>`);
        continue;
      }
      const text =
        value instanceof Buffer ? JSON.stringify(value.toString("utf8")) : brief(value, 200);
      if (type === "t") {
        if (Object.keys(value as object).length) lines.push(`${name}: ${text}`);
      } else if (type !== "b" || value === true) {
        shown.push(type === "b" ? name : `${name}=${text}`);
      }
    }
  } catch (error) {
    lines.push(`(arguments not decoded: ${(error as Error).message})`);
  }
  const args = shown.length ? ` ${shown.join(" ")}` : "";
  const secret = spec.name === "connection.start-ok";
  return {
    size: frame.length,
    title: `method ${spec.name}, ${where}${args}`,
    lines,
    ...(secret ? {} : { raw: frame }),
    label: `${spec.name}${labelArgs(spec.name, shown)}`,
    chatter: !/^basic\.(publish|deliver|ack|nack|reject|return)$/.test(spec.name),
  };
}

function labelArgs(name: string, shown: string[]): string {
  if (!/^(basic|queue)\./.test(name)) return "";
  const keep = shown.filter((s) => /^(exchange|routing-key|queue|delivery-tag)=/.test(s));
  return keep.length ? ` ${keep.join(" ").replace(/"/g, "'")}` : "";
}

function properties(r: ArgumentReader): Record<string, unknown> {
  const flags = r.short();
  const out: Record<string, unknown> = {};
  PROPERTIES.forEach(([name, type], i) => {
    if (!(flags & (1 << (15 - i)))) return;
    out[name] =
      type === "o"
        ? r.octet()
        : type === "L"
          ? r.longlong()
          : type === "s"
            ? r.shortstr()
            : r.table();
  });
  return out;
}

/** A body as text; JSON pretty-printed; oslo's envelope opened and its message read. */
function bodyMeaning(body: Buffer): {
  lines: string[];
  label?: string;
  isCall: boolean;
  isReply?: boolean;
} {
  const text = body.toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { lines: cutText(text).split("\n"), isCall: false };
  }
  const lines: string[] = [];
  if (
    value !== null &&
    typeof value === "object" &&
    typeof (value as Record<string, unknown>)["oslo.message"] === "string"
  ) {
    const envelope = value as Record<string, string>;
    lines.push(`oslo envelope, version ${envelope["oslo.version"]}; oslo.message decoded:`);
    try {
      value = JSON.parse(envelope["oslo.message"]!);
    } catch {
      lines.push("(oslo.message is not JSON)");
    }
  }
  lines.push(...cutText(JSON.stringify(value, null, 2)).split("\n"));
  const m = (value ?? {}) as Record<string, unknown>;
  if (typeof m.method === "string") {
    const args = brief(m.args ?? {}, 80);
    const kind = m._msg_id ? "call" : "cast";
    return { lines, label: `${kind} ${m.method}(${args})`, isCall: true };
  }
  if (typeof m.event_type === "string") {
    return { lines, label: `notify ${m.event_type} ${m.priority ?? ""}`.trim(), isCall: true };
  }
  if ("result" in m || "failure" in m) {
    const label = m.failure
      ? `failure ${brief(m.failure, 60)}`
      : m.ending
        ? `result ${brief(m.result, 60)}`
        : `heartbeat/partial ${brief(m.result, 40)}`;
    return { lines, label, isCall: false, isReply: Boolean(m.failure) || m.ending !== false };
  }
  return { lines, label: `body ${brief(value, 60)}`, isCall: false };
}
