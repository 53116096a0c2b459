import { describe, expect, it } from "vitest";
import { encodeFrame } from "../../solutions/03-raw-tcp/framing.js";
import { encodeCall, encodeReply } from "../../solutions/02-call-id-and-serialization/messages.js";
import { createEvent, encodeEvent } from "../../solutions/07-zeromq/events.js";
import { amqpDecoder } from "./amqp.js";
import { decodeCut, titlesAtEveryCut } from "./cuts.js";
import { framesDecoder } from "./frames.js";
import { hexDump } from "./hex.js";
import { httpDecoder } from "./http.js";
import { brief, type DecoderFactory, type Direction } from "./message.js";
import { zmtpDecoder } from "./zmtp.js";

/** Every cut gives the same messages as the whole; the sizes add up to every byte. */
function expectCutProof(factory: DecoderFactory, direction: Direction, bytes: Uint8Array) {
  const runs = titlesAtEveryCut(factory, direction, bytes);
  for (const run of runs) expect(run).toEqual(runs[0]);
  const sizes = decodeCut(factory, direction, bytes, 0).reduce((sum, m) => sum + m.size, 0);
  expect(sizes).toBe(bytes.length);
  return decodeCut(factory, direction, bytes, bytes.length);
}

const join = (...parts: (Uint8Array | string)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : p)));

describe("lesson 3 frames", () => {
  const call = encodeFrame(7, encodeCall({ callId: 1, args: [1, 2] }));
  const reply = encodeFrame(7, encodeReply({ ok: true, result: 3 }));

  it("shows the request ID and the decoded call, cut at every byte boundary", () => {
    const messages = expectCutProof(framesDecoder, "to-server", join(call, call));
    expect(messages).toHaveLength(2);
    expect(messages[0]!.title).toBe("frame: length 28, request 7, call add(1, 2)");
    expect(messages[0]!.startsCall).toBe(true);
  });

  it("shows the decoded reply", () => {
    const [message] = expectCutProof(framesDecoder, "to-client", reply);
    expect(message!.title).toBe("frame: length 10, request 7, result 3");
  });

  it("shows a body it cannot read as a frame with its bytes, and goes on", () => {
    const bad = encodeFrame(9, Uint8Array.of(0xff, 0x00));
    const messages = expectCutProof(framesDecoder, "to-server", join(bad, call));
    expect(messages[0]!.title).toMatch(/request 9, body not decoded/);
    expect(messages[1]!.title).toMatch(/call add/);
  });

  it("shows an incomplete frame at close as raw bytes", () => {
    const messages = decodeCut(framesDecoder, "to-server", call.subarray(0, 5), 2);
    expect(messages.map((m) => m.title)).toEqual(["raw bytes (incomplete message at close)"]);
  });
});

describe("HTTP", () => {
  const body = '{"jsonrpc":"2.0","method":"add","params":[1,2],"id":1}';
  const request = `POST / HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  const chunked =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
    '10\r\n{"jsonrpc":"2.0"\r\n13\r\n,"result":3,"id":1}\r\n0\r\n\r\n';

  it("makes keep-alive reuse visible, cut at every byte boundary", () => {
    const messages = expectCutProof(httpDecoder, "to-server", join(request, request));
    expect(messages.map((m) => m.title)).toEqual([
      "POST / HTTP/1.1 (first on this connection)",
      "POST / HTTP/1.1 (message 2 on this connection: keep-alive reuse)",
    ]);
    expect(messages[0]!.label).toBe("POST / add(1, 2) id 1");
    expect(messages[0]!.lines).toContain('  "method": "add",');
  });

  it("reads a chunked body", () => {
    const [message] = expectCutProof(httpDecoder, "to-client", join(chunked));
    expect(message!.label).toBe("200 OK → 3 id 1");
  });

  it("reads XML-RPC with lesson 6's reader", () => {
    const xml =
      '<?xml version="1.0"?><methodCall><methodName>add</methodName><params><param><value><int>1</int></value></param><param><value><int>2</int></value></param></params></methodCall>';
    const text = `POST /RPC2 HTTP/1.1\r\nContent-Type: text/xml\r\nContent-Length: ${xml.length}\r\n\r\n${xml}`;
    const [message] = expectCutProof(httpDecoder, "to-server", join(text));
    expect(message!.label).toBe("POST /RPC2 add(1, 2)");
  });

  it("reads lesson 4's GET as a call", () => {
    const [message] = expectCutProof(
      httpDecoder,
      "to-server",
      join("GET /add?a=1&b=2 HTTP/1.1\r\nHost: x\r\n\r\n"),
    );
    expect(message!.label).toBe("GET /add?a=1&b=2 → add(1, 2)");
  });

  it("shows what is not HTTP as raw bytes", () => {
    const messages = decodeCut(httpDecoder, "to-server", join("\x16\x03\x01 hello\r\n\r\n"), 3);
    expect(messages.every((m) => m.title.startsWith("raw bytes"))).toBe(true);
  });
});

/** A ZMTP frame: flags, size (short or long), body. */
function zmtpFrame(body: Uint8Array, flags = 0): Buffer {
  if (body.length > 255) {
    const head = Buffer.alloc(9);
    head[0] = flags | 0x02;
    head.writeBigUInt64BE(BigInt(body.length), 1);
    return join(head, body);
  }
  return join(Uint8Array.of(flags, body.length), body);
}

describe("ZMTP 3 and zerorpc", () => {
  const greeting = Buffer.alloc(64);
  greeting[0] = 0xff;
  greeting[9] = 0x7f;
  greeting[10] = 3;
  greeting[11] = 1;
  greeting.write("NULL", 12, "latin1");
  const ready = zmtpFrame(
    join("\x05READY", "\x0bSocket-Type", Uint8Array.of(0, 0, 0, 6), "DEALER"),
    0x04,
  );
  const call = createEvent("add", [1, 2]);
  call.header.message_id = "m1";
  const heartbeat = createEvent("_zpc_hb", [0]);
  heartbeat.header.message_id = "m2";
  const bytes = join(
    greeting,
    ready,
    zmtpFrame(new Uint8Array(0), 0x01),
    zmtpFrame(encodeEvent(call)),
    zmtpFrame(new Uint8Array(0), 0x01),
    zmtpFrame(encodeEvent(heartbeat)),
    zmtpFrame(Buffer.alloc(300, 7)),
  );

  it("shows the greeting, READY, events and heartbeats, cut at every byte boundary", () => {
    const messages = expectCutProof(zmtpDecoder, "to-server", bytes);
    expect(messages.map((m) => m.title)).toEqual([
      "ZMTP greeting: version 3.1, mechanism NULL, as-server 0",
      "ZMTP command READY (Socket-Type: DEALER)",
      "ZMTP message, 2 frames: zerorpc add(1, 2)",
      "ZMTP message, 2 frames: zerorpc HEARTBEAT (_zpc_hb)",
      "ZMTP message, 1 frame",
    ]);
    expect(messages[3]!.chatter).toBe(true);
    expect(messages[2]!.startsCall).toBe(true);
  });

  it("shows what is not ZMTP as raw bytes", () => {
    const messages = decodeCut(zmtpDecoder, "to-server", join("GET / HTTP/1.1\r\n"), 4);
    expect(messages.every((m) => m.title.startsWith("raw bytes"))).toBe(true);
  });
});

/** An AMQP frame: type, channel, size, payload, 0xCE. */
function amqpFrame(type: number, channel: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(7);
  head[0] = type;
  head.writeUInt16BE(channel, 1);
  head.writeUInt32BE(payload.length, 3);
  return join(head, payload, Uint8Array.of(0xce));
}
const shortstr = (s: string) => join(Uint8Array.of(Buffer.byteLength(s)), Buffer.from(s));
const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};

describe("AMQP 0-9-1", () => {
  const oslo = JSON.stringify({
    "oslo.version": "2.0",
    "oslo.message": JSON.stringify({ method: "add", args: { a: 1, b: 2 }, _msg_id: "abc" }),
  });
  const publish = amqpFrame(
    1,
    1,
    join(u16(60), u16(40), u16(0), shortstr("openstack"), shortstr("calc"), Uint8Array.of(0)),
  );
  const size = Buffer.alloc(8);
  size.writeBigUInt64BE(BigInt(oslo.length));
  const header = amqpFrame(
    2,
    1,
    join(
      u16(60),
      u16(0),
      size,
      u16(0x8000 | 0x1000),
      shortstr("application/json"),
      Uint8Array.of(2),
    ),
  );
  const half = Math.floor(oslo.length / 2);
  const body1 = amqpFrame(3, 1, Buffer.from(oslo.slice(0, half)));
  const body2 = amqpFrame(3, 1, Buffer.from(oslo.slice(half)));
  const heartbeat = amqpFrame(8, 0, Buffer.alloc(0));
  const bytes = join("AMQP\x00\x00\x09\x01", publish, header, body1, body2, heartbeat);

  it("shows frames by type and channel, methods with their arguments, oslo's envelope opened, cut at every byte boundary", () => {
    const messages = expectCutProof(amqpDecoder, "to-server", bytes);
    expect(messages.map((m) => m.title)).toEqual([
      "protocol header AMQP 0-9-1",
      'method basic.publish, channel 1 exchange="openstack" routing-key="calc"',
      `content header, channel 1: body ${oslo.length} bytes`,
      `content body, channel 1: ${half} bytes (${half} of ${oslo.length})`,
      `content body, channel 1: ${oslo.length - half} bytes`,
      "heartbeat frame, channel 0",
    ]);
    expect(messages[2]!.lines).toEqual(['content-type: "application/json"', "delivery-mode: 2"]);
    expect(messages[4]!.label).toBe('call add({"a":1,"b":2})');
    expect(messages[4]!.lines[0]).toBe("oslo envelope, version 2.0; oslo.message decoded:");
  });

  it("never shows the login response", () => {
    const table = Buffer.alloc(4);
    const response = join(Buffer.alloc(4), "\0guest\0secret");
    response.writeUInt32BE(response.length - 4);
    const startOk = amqpFrame(
      1,
      0,
      join(u16(10), u16(11), table, shortstr("PLAIN"), response, shortstr("en_US")),
    );
    const [message] = decodeCut(
      amqpDecoder,
      "to-server",
      join("AMQP\x00\x00\x09\x01", startOk),
      0,
    ).slice(1);
    expect(message!.title).toBe(
      'method connection.start-ok, channel 0 mechanism="PLAIN" response=<13 bytes, not shown> locale="en_US"',
    );
    expect(message!.raw).toBeUndefined();
  });

  it("shows a frame without its end byte as raw bytes", () => {
    const broken = Buffer.from(heartbeat);
    broken[broken.length - 1] = 0;
    const messages = decodeCut(amqpDecoder, "to-client", broken, 1);
    expect(messages.every((m) => m.title.startsWith("raw bytes"))).toBe(true);
  });
});

describe("long messages", () => {
  it("are shown abbreviated, saying how many bytes were cut", () => {
    const lines = hexDump(Buffer.alloc(300, 0x41));
    expect(lines).toHaveLength(17);
    expect(lines.at(-1)).toBe("…  44 more bytes cut");
  });
});

describe("values in one line", () => {
  it("shows bytes, bigints and Maps with their key types", () => {
    const value = [
      new Map<unknown, unknown>([
        [1, "a"],
        ["b", 2n ** 60n],
      ]),
      new Uint8Array([1, 2]),
    ];
    expect(brief(value)).toBe(
      '[{"1 =>":"a","\\"b\\" =>":"1152921504606846976n"},"<2 bytes 0102>"]',
    );
  });
});
