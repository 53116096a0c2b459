import { describe, expect, it } from "vitest";
import { encodeGrpcMessage } from "../../solutions/11-grpc/grpc-framing.js";
import { encodeMessage, Greeting, NumberMessage, Pair } from "../../solutions/11-grpc/messages.js";
import { decodeCut, titlesAtEveryCut } from "./cuts.js";
import { http2Decoder } from "./http2.js";

const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/** One HTTP/2 frame: u24 length, u8 type, u8 flags, u32 stream, payload. */
function frame(type: number, flags: number, stream: number, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(stream, 5);
  return Buffer.concat([head, payload]);
}

/** An HPACK literal without indexing, new name: 0x00, then name and value, not Huffman coded. */
function literal(name: string, value: string): Buffer {
  const string = (s: string) => Buffer.concat([Buffer.from([s.length]), Buffer.from(s)]);
  return Buffer.concat([Buffer.from([0x00]), string(name), string(value)]);
}

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ""), "hex");
// :method POST (static 3), :scheme http (6), then :path added to the dynamic table (0x44 = index 4's name).
const requestBlock = Buffer.concat([
  hex("83 86"),
  Buffer.from([0x44, 20]),
  Buffer.from("/calc.Calculator/Add"),
  literal("content-type", "application/grpc"),
]);
// :method POST, :scheme http, :path /calc.Calculator/Hello (literal, not indexed)
const helloBlock = Buffer.concat([
  hex("83 86"),
  Buffer.from([0x04, 22]),
  Buffer.from("/calc.Calculator/Hello"),
]);
const pair = encodeGrpcMessage(encodeMessage(Pair, { a: 1, b: 2 }));
// the same HEADERS split into HEADERS + CONTINUATION
const split = Buffer.concat([
  PREFACE,
  frame(1, 0, 1, requestBlock.subarray(0, 10)),
  frame(9, 0x4, 1, requestBlock.subarray(10)),
]);

describe("HTTP/2 and gRPC frames", () => {
  it("shows one line per frame, the same at every cut, every byte counted", () => {
    const bytes = Buffer.concat([
      PREFACE,
      frame(4, 0, 0, hex("0003 00000064")),
      frame(1, 0x4, 1, requestBlock),
      frame(0, 0, 1, pair.subarray(0, 7)),
      frame(0, 0x1, 1, pair.subarray(7)),
    ]);
    const runs = titlesAtEveryCut(http2Decoder, "to-server", bytes);
    for (const run of runs) expect(run).toEqual(runs[0]);
    const messages = decodeCut(http2Decoder, "to-server", bytes, bytes.length);
    expect(messages.reduce((sum, m) => sum + m.size, 0)).toBe(bytes.length);
    expect(messages.map((m) => m.title)).toEqual([
      "HTTP/2 connection preface (PRI * HTTP/2.0 … SM)",
      "SETTINGS, 6 B: MAX_CONCURRENT_STREAMS=100",
      `HEADERS stream 1 [END_HEADERS], ${requestBlock.length} B: POST /calc.Calculator/Add`,
      "DATA stream 1, 7 B",
      "DATA stream 1 [END_STREAM], 16 B: Pair { a: 1, b: 2 }",
    ]);
    expect(messages[2]!.lines).toEqual([
      ":method: POST",
      ":scheme: http",
      ":path: /calc.Calculator/Add",
      "content-type: application/grpc",
    ]);
    expect(messages[3]!.lines).toEqual(["7 B of a gRPC message so far"]);
  });

  it("joins a header block across CONTINUATION frames", () => {
    const messages = decodeCut(http2Decoder, "to-server", split, split.length);
    expect(messages.map((m) => m.title)).toEqual([
      "HTTP/2 connection preface (PRI * HTTP/2.0 … SM)",
      "HEADERS stream 1, 10 B, the block continues",
      `CONTINUATION stream 1 [END_HEADERS], ${requestBlock.length - 10} B: POST /calc.Calculator/Add`,
    ]);
  });

  it("reads a reply with the schema of its request's method, and its trailers", () => {
    const connection = {};
    const toServer = http2Decoder("to-server", connection);
    const toClient = http2Decoder("to-client", connection);
    toServer.push(Buffer.concat([PREFACE, frame(1, 0x4, 3, requestBlock)]));
    const number = encodeGrpcMessage(encodeMessage(NumberMessage, { value: 3 }));
    const replies = toClient.push(
      Buffer.concat([
        frame(1, 0x4, 3, Buffer.concat([hex("88"), literal("content-type", "application/grpc")])),
        frame(0, 0, 3, number),
        frame(
          1,
          0x5,
          3,
          Buffer.concat([literal("grpc-status", "3"), literal("grpc-message", "bad%20a")]),
        ),
      ]),
    );
    expect(replies.map((m) => m.title)).toEqual([
      "HEADERS stream 3 [END_HEADERS], 32 B: :status 200 application/grpc",
      "DATA stream 3, 14 B: Number { value: 3 }",
      "HEADERS stream 3 [END_STREAM END_HEADERS], 37 B: trailers, grpc-status 3 INVALID_ARGUMENT (bad a)",
    ]);
    expect(replies.at(-1)!.endsCall).toBe(true);
  });

  it("shows an unknown method's fields by number", () => {
    const block = Buffer.concat([hex("83 86"), Buffer.from([0x44, 6]), Buffer.from("/x.Y/Z")]);
    const body = encodeGrpcMessage(Buffer.from([0x08, 0x96, 0x01, 0x12, 0x02, 0x68, 0x69]));
    const messages = decodeCut(
      http2Decoder,
      "to-server",
      Buffer.concat([PREFACE, frame(1, 0x4, 1, block), frame(0, 0x1, 1, body)]),
      0,
    );
    expect(messages.at(-1)!.title).toBe(
      'DATA stream 1 [END_STREAM], 12 B: fields { 1 (varint): 150, 2 (len): "hi" }',
    );
  });

  it("passes over a message too large to show, then reads the next one; joins each message once", () => {
    const big = 5 * 1024 * 1024;
    const prefix = Buffer.alloc(5);
    prefix.writeUInt32BE(big, 1);
    const frames = [frame(1, 0x4, 1, requestBlock), frame(0, 0, 1, prefix)];
    for (let sent = 0; sent < big; sent += 16_384) {
      frames.push(frame(0, 0, 1, Buffer.alloc(Math.min(16_384, big - sent))));
    }
    frames.push(frame(0, 0x1, 1, pair));
    const messages = decodeCut(http2Decoder, "to-server", Buffer.concat([PREFACE, ...frames]), 0);
    expect(messages[2]!.lines).toEqual(["gRPC message of 5242880 bytes: over 4 MiB, not shown"]);
    expect(messages.at(-1)!.title).toBe("DATA stream 1 [END_STREAM], 23 B: Pair { a: 1, b: 2 }");
    // A 1 MiB message in 64 frames: shown once, when whole.
    const mib = encodeGrpcMessage(encodeMessage(Greeting, { message: "x".repeat(1024 * 1024) }));
    const pieces = [frame(1, 0x4, 3, helloBlock)];
    for (let at = 0; at < mib.length; at += 16_384)
      pieces.push(frame(0, 0, 3, mib.subarray(at, at + 16_384)));
    const read = decodeCut(http2Decoder, "to-server", Buffer.concat([PREFACE, ...pieces]), 0);
    const shown = read.flatMap((m) => m.lines).filter((line) => line.startsWith("gRPC message"));
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatch(/^gRPC message, 1048580 B: Name \{ name: "xxx/);
  });

  it("holds at most 16 MiB of unfinished messages over all streams", () => {
    const decoder = http2Decoder("to-server", {});
    decoder.push(PREFACE);
    const prefix = Buffer.alloc(5);
    prefix.writeUInt32BE(4 * 1024 * 1024, 1);
    const lines: string[] = [];
    for (let stream = 1; stream <= 9; stream += 2) {
      decoder.push(frame(1, 0x4, stream, requestBlock));
      for (let sent = 0; sent < 4 * 1024 * 1024 - 16_384; sent += 16_384) {
        const data =
          sent === 0 ? Buffer.concat([prefix, Buffer.alloc(16_379)]) : Buffer.alloc(16_384);
        for (const m of decoder.push(frame(0, 0, stream, data))) lines.push(...m.lines);
      }
    }
    expect(lines).toContain("not decoded: over 16 MiB of unfinished messages held");
  });

  it("turns bad input into raw bytes and keeps going, in linear time and bounded memory", () => {
    const notPreface = decodeCut(
      http2Decoder,
      "to-server",
      Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
      5,
    );
    expect(notPreface[0]!.title).toMatch(
      /^raw bytes \(not decoded: not the HTTP\/2 connection preface/,
    );
    const badHpack = decodeCut(
      http2Decoder,
      "to-client",
      Buffer.concat([frame(1, 0x4, 1, hex("ff ff ff ff ff 7f")), Buffer.alloc(100)]),
      3,
    );
    expect(badHpack.at(-1)!.title).toMatch(/^raw bytes \(not decoded: /);
    // A DATA stream announcing a 4 GiB message is never buffered.
    const huge = Buffer.concat([
      PREFACE,
      frame(1, 0x4, 1, requestBlock),
      frame(0, 0, 1, hex("00 ffffffff 00")),
    ]);
    const [, , data] = decodeCut(http2Decoder, "to-server", huge, 0);
    expect(data!.lines).toEqual(["gRPC message of 4294967295 bytes: over 4 MiB, not shown"]);
    // Many small frames: each is read once.
    const pings = Buffer.concat(
      Array.from({ length: 20_000 }, () => frame(6, 0, 0, Buffer.alloc(8))),
    );
    expect(decodeCut(http2Decoder, "to-client", pings, 1234)).toHaveLength(20_000);
  });
});
