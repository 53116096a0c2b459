import { decodeCall, decodeResponse } from "../../solutions/06-xml-rpc/messages.js";
import type { ByteQueue } from "./bytes.js";
import { cutText, indentXml } from "./hex.js";
import { argList, brief, type DecoderFactory, type WireMessage } from "./message.js";
import { guardedDecoder, MAX_MESSAGE_BYTES } from "./raw.js";

/**
 * HTTP/1.1 (lessons 4–6): start line, headers, body by Content-Length or chunked. The n-th
 * message on one connection says so, which makes keep-alive reuse visible. JSON bodies are
 * pretty-printed with their JSON-RPC meaning; XML-RPC bodies are read with lesson 6's reader.
 */
const MAX_HEADER_BYTES = 64 * 1024;
const CRLF = Buffer.from("\r\n");

export interface Head {
  startLine: string;
  headers: [string, string][];
  headerBytes: number;
}

export const httpDecoder: DecoderFactory = (direction) => {
  let head: Head | undefined;
  let chunks: Buffer[] = [];
  let chunkedBytes = 0;
  let count = 0;

  const header = (name: string) => head?.headers.find(([key]) => key.toLowerCase() === name)?.[1];

  return guardedDecoder((queue) => {
    if (!head) {
      head = readHead(queue);
      if (!head) return undefined;
      chunks = [];
      chunkedBytes = 0;
    }
    let body: Buffer;
    let size: number;
    if (/chunked/i.test(header("transfer-encoding") ?? "")) {
      // The chunks read leave the queue, so its limit no longer sees them: count them here.
      const done = readChunks(queue, chunks, MAX_MESSAGE_BYTES - chunkedBytes);
      chunkedBytes += done.bytes;
      if (!done.complete) return undefined;
      body = Buffer.concat(chunks);
      size = head.headerBytes + chunkedBytes;
    } else {
      const length = Number(header("content-length") ?? 0);
      if (!Number.isSafeInteger(length) || length < 0) throw new Error("bad Content-Length");
      if (queue.length < length) return undefined;
      body = queue.take(length);
      size = head.headerBytes + length;
    }
    count += 1;
    const message = describe(direction, head, body, size, count);
    head = undefined;
    return message;
  });
};

export function readHead(queue: ByteQueue): Head | undefined {
  const window = queue.peek(MAX_HEADER_BYTES);
  const end = window.indexOf("\r\n\r\n");
  if (end < 0) {
    if (window.length >= MAX_HEADER_BYTES) throw new Error("headers over 64 KiB");
    return undefined;
  }
  const text = queue.take(end + 4).toString("latin1");
  const [startLine = "", ...rest] = text.slice(0, end).split("\r\n");
  if (!/^(?:[A-Z]+ \S+ HTTP\/1\.[01]|HTTP\/1\.[01] \d{3}\b.*)$/.test(startLine)) {
    throw new Error(`not an HTTP start line: ${JSON.stringify(startLine.slice(0, 60))}`);
  }
  const headers = rest.map((line): [string, string] => {
    const colon = line.indexOf(":");
    return colon < 0 ? [line, ""] : [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  return { startLine, headers, headerBytes: end + 4 };
}

/**
 * Reads chunks into `into`; complete when the last (zero) chunk and its CRLF are in. A body
 * that would pass `room` bytes throws, before its chunk is buffered.
 */
function readChunks(
  queue: ByteQueue,
  into: Buffer[],
  room: number,
): { complete: boolean; bytes: number } {
  let bytes = 0;
  for (;;) {
    const line = queue.peek(Math.min(queue.length, 1024));
    const eol = line.indexOf(CRLF);
    if (eol < 0) {
      if (line.length >= 1024) throw new Error("chunk size line too long");
      return { complete: false, bytes };
    }
    const size = parseInt(line.subarray(0, eol).toString("latin1"), 16);
    if (!Number.isSafeInteger(size) || size < 0) throw new Error("bad chunk size");
    const total = eol + 2 + size + 2;
    if (bytes + total > room) throw new Error(`over ${MAX_MESSAGE_BYTES} bytes in one message`);
    if (queue.length < total) return { complete: false, bytes };
    const chunk = queue.take(total);
    bytes += total;
    if (size === 0) return { complete: true, bytes };
    into.push(chunk.subarray(eol + 2, eol + 2 + size));
  }
}

function describe(
  direction: "to-server" | "to-client",
  head: Head,
  body: Buffer,
  size: number,
  count: number,
): WireMessage {
  const reuse =
    count > 1
      ? ` (message ${count} on this connection: keep-alive reuse)`
      : " (first on this connection)";
  const lines = head.headers.map(([k, v]) => `${k}: ${v}`);
  const type = head.headers.find(([k]) => k.toLowerCase() === "content-type")?.[1] ?? "";
  let label = head.startLine.replace(/ HTTP\/1\.[01]$/, "").replace(/^HTTP\/1\.[01] /, "");
  const meaning = bodyMeaning(body, type, direction);
  if (body.length) lines.push("", ...meaning.lines);
  if (meaning.label) label += ` ${meaning.label}`;
  else if (direction === "to-server") label += queryCall(head.startLine);
  return {
    size,
    title: `${head.startLine}${reuse}`,
    lines,
    label,
    startsCall: direction === "to-server",
    endsCall: direction === "to-client",
  };
}

/** Lesson 4's GET /add?a=1&b=2 read as a call. */
function queryCall(startLine: string): string {
  const target = /^GET (\S+)/.exec(startLine)?.[1];
  if (!target) return "";
  const url = new URL(target, "http://x");
  const name = url.pathname.slice(1);
  return name ? ` → ${name}(${[...url.searchParams.values()].join(", ")})` : "";
}

function bodyMeaning(
  body: Buffer,
  type: string,
  direction: "to-server" | "to-client",
): { lines: string[]; label?: string } {
  const text = body.toString("utf8");
  if (/json/i.test(type) || /^\s*[[{]/.test(text)) {
    try {
      const value: unknown = JSON.parse(text);
      return {
        lines: cutText(JSON.stringify(value, null, 2)).split("\n"),
        label: jsonLabel(value),
      };
    } catch {
      // not JSON after all: shown as text below
    }
  }
  if (/xml/i.test(type) || text.startsWith("<?xml")) {
    const pretty = indentXml(cutText(text));
    try {
      if (direction === "to-server") {
        const call = decodeCall(text);
        return {
          lines: [`XML-RPC call ${call.method}(${argList(call.params)})`, ...pretty],
          label: `${call.method}(${argList(call.params)})`,
        };
      }
      const response = decodeResponse(text);
      const meaning = response.ok
        ? `→ ${brief(response.value)}`
        : `fault ${response.fault.faultCode}: ${response.fault.faultString}`;
      return {
        lines: [`XML-RPC response ${meaning}`, ...pretty],
        label: meaning,
      };
    } catch (error) {
      return { lines: [`(XML-RPC not decoded: ${(error as Error).message})`, ...pretty] };
    }
  }
  return { lines: cutText(text).split("\n") };
}

/** JSON-RPC (lesson 5), lesson 4's {method, params} and {result}/{error}, batches. */
function jsonLabel(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    const parts = value.map(jsonLabel).filter(Boolean);
    return `batch [${parts.join("; ")}]`;
  }
  if (value === null || typeof value !== "object") return undefined;
  const v = value as Record<string, unknown>;
  const id = v.id !== undefined ? ` id ${brief(v.id)}` : "";
  if (typeof v.method === "string") {
    return `${v.method}(${argList(v.params ?? [])})${v.id === undefined && v.jsonrpc ? " notification" : id}`;
  }
  if ("result" in v) return `→ ${brief(v.result, 60)}${id}`;
  if ("error" in v) return `error ${brief(v.error, 80)}${id}`;
  return undefined;
}
