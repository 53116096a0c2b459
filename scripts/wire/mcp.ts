import { SseDecoder } from "../../solutions/12-mcp/sse.js";
import type { ByteQueue } from "./bytes.js";
import { readHead, type Head } from "./http.js";
import { brief, type DecoderFactory, type Direction, type WireMessage } from "./message.js";
import { guardedDecoder } from "./raw.js";

/**
 * MCP's Streamable HTTP (lesson 12): HTTP/1.1 whose bodies are JSON-RPC messages, one per POST,
 * and whose replies may be SSE streams. Each SSE event is shown as it arrives (a stream may
 * stay open for minutes), and every reply names the request it answers. Both sides number
 * their own requests, so an id is matched within the direction its request went: a reply
 * going to the client answers the client's request, a reply POSTed to the server answers one
 * the server sent on a stream. The tables are shared by all connections of one proxy, since a
 * client may POST a reply on another connection than the stream that carried the request.
 */

const MAX_OPEN_CALLS = 10_000;
const CRLF = Buffer.from("\r\n");

/** Requests in flight by id, for each side that sent them. */
const openCalls: Record<Direction, Map<string, string>> = {
  "to-server": new Map(),
  "to-client": new Map(),
};

const other = (direction: Direction): Direction =>
  direction === "to-server" ? "to-client" : "to-server";
const who = (direction: Direction) => (direction === "to-server" ? "client" : "server");

/** One JSON-RPC message: its label, and whether it starts or ends a call. */
function describeJsonRpc(
  value: unknown,
  direction: Direction,
): Omit<WireMessage, "size" | "title" | "lines"> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { label: `not a JSON-RPC message: ${brief(value, 60)}` };
  }
  const v = value as Record<string, unknown>;
  const id = v.id === undefined ? undefined : JSON.stringify(v.id);
  if (typeof v.method === "string") {
    const params = v.params === undefined ? "" : brief(v.params, 80);
    if (id === undefined) {
      return { label: `${v.method} ${params}`.trim(), chatter: true };
    }
    const calls = openCalls[direction];
    calls.set(id, v.method);
    if (calls.size > MAX_OPEN_CALLS) calls.delete(calls.keys().next().value!);
    return {
      label: `${who(direction)}'s request ${id}: ${v.method} ${params}`.trim(),
      startsCall: direction === "to-server",
    };
  }
  const asked = id === undefined ? undefined : openCalls[other(direction)].get(id);
  if (id !== undefined) openCalls[other(direction)].delete(id);
  const answers = asked
    ? ` (answers the ${who(other(direction))}'s ${asked} ${id})`
    : ` (id ${id ?? "?"}: no request seen)`;
  const outcome = "error" in v ? `error ${brief(v.error, 80)}` : `→ ${brief(v.result, 80)}`;
  return { label: `${outcome}${answers}`, endsCall: direction === "to-client" };
}

function jsonMessage(
  text: string,
  direction: Direction,
  size: number,
  title: string,
  lines: string[],
): WireMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { size, title, lines: [...lines, text.slice(0, 200)], label: "not JSON" };
  }
  const meaning = describeJsonRpc(value, direction);
  const pretty = JSON.stringify(value, null, 2).split("\n").slice(0, 40);
  // The meaning first: which side's request this is, or which request a reply answers.
  return { size, title, lines: [`JSON-RPC: ${meaning.label}`, ...lines, ...pretty], ...meaning };
}

/** Takes one chunk of a chunked body: its bytes, "end" for the last chunk, or undefined. */
function takeChunk(queue: ByteQueue): { data: Buffer; bytes: number } | "end" | undefined {
  const line = queue.peek(Math.min(queue.length, 1024));
  const eol = line.indexOf(CRLF);
  if (eol < 0) {
    if (line.length >= 1024) throw new Error("chunk size line too long");
    return undefined;
  }
  const size = parseInt(line.subarray(0, eol).toString("latin1"), 16);
  if (!Number.isSafeInteger(size) || size < 0) throw new Error("bad chunk size");
  const total = eol + 2 + size + 2;
  if (queue.length < total) return undefined;
  const chunk = queue.take(total);
  return size === 0 ? "end" : { data: chunk.subarray(eol + 2, eol + 2 + size), bytes: total };
}

export const mcpDecoder: DecoderFactory = (direction) => {
  let head: Head | undefined;
  let events: SseDecoder | undefined;
  const ready: WireMessage[] = [];
  const header = (name: string) => head?.headers.find(([key]) => key.toLowerCase() === name)?.[1];

  return guardedDecoder((queue) => {
    if (ready.length) return ready.shift();
    if (!head) {
      head = readHead(queue);
      if (!head) return undefined;
      const lines = head.headers.map(([k, v]) => `${k}: ${v}`);
      if (/text\/event-stream/i.test(header("content-type") ?? "")) {
        events = new SseDecoder();
        return {
          size: head.headerBytes,
          title: `${head.startLine}: an SSE stream opens`,
          lines,
          label: "SSE stream opens",
          chatter: true,
        };
      }
    }
    if (events) {
      const chunked = /chunked/i.test(header("transfer-encoding") ?? "");
      const piece = chunked
        ? takeChunk(queue)
        : queue.length
          ? { data: queue.takeAll(), bytes: 0 }
          : undefined;
      if (piece === undefined) return undefined;
      if (piece === "end") {
        head = undefined;
        events = undefined;
        return {
          size: 5,
          title: "the SSE stream ends",
          lines: [],
          label: "SSE stream ends",
          chatter: true,
        };
      }
      for (const event of events.push(piece.data.toString("utf8"))) {
        const title = `SSE event${event.id ? ` id ${event.id}` : ""}`;
        ready.push(jsonMessage(event.data, direction, Buffer.byteLength(event.data), title, []));
      }
      return (
        ready.shift() ?? {
          size: piece.bytes,
          title: "SSE bytes",
          lines: [],
          label: "",
          chatter: true,
        }
      );
    }
    const length = Number(header("content-length") ?? 0);
    if (!Number.isSafeInteger(length) || length < 0) throw new Error("bad Content-Length");
    if (queue.length < length) return undefined;
    const body = queue.take(length).toString("utf8");
    const done = head;
    head = undefined;
    const lines = done.headers.map(([k, v]) => `${k}: ${v}`);
    const size = done.headerBytes + length;
    if (!body) {
      return {
        size,
        title: done.startLine,
        lines,
        label: done.startLine.replace(/^HTTP\/1\.[01] /, ""),
        chatter: true,
      };
    }
    return jsonMessage(body, direction, size, done.startLine, [...lines, ""]);
  });
};
