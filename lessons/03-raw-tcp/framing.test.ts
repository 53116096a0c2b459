import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RpcError } from "../../shared/rpc-error.js";
import {
  DEFAULT_MAX_FRAME_BYTES,
  encodeFrame,
  FrameDecoder,
  HEADER_BYTES,
  type Frame,
} from "./framing.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const concat = (parts: Uint8Array[]) => Uint8Array.from(Buffer.concat(parts));
const plain = (frames: Frame[]) =>
  frames.map(({ requestId, body }) => ({ requestId, body: hex(body) }));

describe("task 1: frame a message", () => {
  it("writes the body length, then the request ID, big-endian, then the body", () => {
    const frame = encodeFrame(0x01020304, Uint8Array.of(0xaa, 0xbb));
    expect(frame.length).toBe(HEADER_BYTES + 2);
    expect(frame[3], "is the length prefix big-endian? (writeUInt32BE)").toBe(2);
    expect(hex(frame)).toBe("00000002" + "01020304" + "aabb");
  });

  it("frames an empty body as a bare header", () => {
    expect(hex(encodeFrame(7, new Uint8Array(0)))).toBe("00000000" + "00000007");
  });

  it("refuses a body over the limit with too_large", () => {
    expect(DEFAULT_MAX_FRAME_BYTES, "the default limit is 16 MiB").toBe(16 * 1024 * 1024);
    expect(() => encodeFrame(1, new Uint8Array(11), 10)).toThrow(RpcError);
    expect(() => encodeFrame(1, new Uint8Array(11), 10)).toThrow(
      expect.objectContaining({ code: "too_large" }),
    );
    expect(encodeFrame(1, new Uint8Array(10), 10).length).toBe(HEADER_BYTES + 10);
  });
});

describe("task 2: decode a stream of frames", () => {
  const frames: Frame[] = [
    { requestId: 1, body: Uint8Array.of(1, 2, 3) },
    { requestId: 2, body: new Uint8Array(0) },
    { requestId: 0xffff_ffff, body: Uint8Array.from({ length: 300 }, (_, i) => i % 256) },
  ];
  // A function, not a constant: encodeFrame is task 1, and may not be written yet.
  const encodedStream = () => concat(frames.map((f) => encodeFrame(f.requestId, f.body)));

  it("decodes one whole frame", () => {
    const decoder = new FrameDecoder();
    expect(plain(decoder.push(encodeFrame(5, Uint8Array.of(9))))).toEqual([
      { requestId: 5, body: "09" },
    ]);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it("decodes frames merged into one chunk", () => {
    const stream = encodedStream();
    expect(plain(new FrameDecoder().push(stream))).toEqual(plain(frames));
  });

  it("decodes frames split at every byte boundary", () => {
    const stream = encodedStream();
    for (let cut = 0; cut <= stream.length; cut++) {
      const decoder = new FrameDecoder();
      const got = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))];
      expect(plain(got), `split after byte ${cut}`).toEqual(plain(frames));
    }
  });

  it("decodes frames delivered one byte at a time", () => {
    const stream = encodedStream();
    const decoder = new FrameDecoder();
    const got: Frame[] = [];
    for (const byte of stream) got.push(...decoder.push(Uint8Array.of(byte)));
    expect(plain(got)).toEqual(plain(frames));
  });

  it("decodes any frames, however the stream is chunked", () => {
    const anyFrame = fc.record({
      requestId: fc.nat({ max: 0xffff_ffff }),
      body: fc.uint8Array({ maxLength: 100 }),
    });
    fc.assert(
      fc.property(
        fc.array(anyFrame, { maxLength: 8 }),
        fc.array(fc.nat({ max: 1000 }), { maxLength: 12 }),
        (sent, cuts) => {
          const bytes = concat(sent.map((f) => encodeFrame(f.requestId, f.body)));
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort(
            (a, b) => a - b,
          );
          const decoder = new FrameDecoder();
          const got: Frame[] = [];
          let from = 0;
          for (const point of [...points, bytes.length]) {
            got.push(...decoder.push(bytes.subarray(from, point)));
            from = point;
          }
          expect(plain(got)).toEqual(plain(sent));
          expect(decoder.bufferedBytes).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("returns a frame that lies inside one chunk without copying it", () => {
    const chunk = encodeFrame(1, Uint8Array.of(1, 2, 3, 4));
    const [frame] = new FrameDecoder().push(chunk);
    expect(frame!.body.buffer, "a subarray of the chunk is enough: no copy").toBe(chunk.buffer);
  });

  it("collects a large frame from many small chunks", () => {
    const body = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 7) % 256);
    const bytes = encodeFrame(3, body);
    const decoder = new FrameDecoder();
    const got: Frame[] = [];
    for (let i = 0; i < bytes.length; i += 1000)
      got.push(...decoder.push(bytes.subarray(i, i + 1000)));
    expect(got).toHaveLength(1);
    expect(Buffer.from(got[0]!.body).equals(Buffer.from(body))).toBe(true);
  });

  it("counts the bytes of a frame still incomplete", () => {
    const stream = encodedStream();
    const decoder = new FrameDecoder();
    expect(decoder.push(stream.subarray(0, 10))).toEqual([]);
    expect(decoder.bufferedBytes, "8 header bytes and 2 body bytes are waiting").toBe(10);
  });

  it("refuses a header announcing more than the limit, before the body arrives", () => {
    const decoder = new FrameDecoder(1024);
    const header = encodeFrame(1, new Uint8Array(1025), 2048).subarray(0, HEADER_BYTES);
    expect(() => decoder.push(header), "check the length as soon as the header is in").toThrow(
      expect.objectContaining({ code: "too_large" }),
    );
  });

  it("stays failed after too_large, and lets go of what it held", () => {
    const decoder = new FrameDecoder(1024);
    const tooBig = encodeFrame(1, new Uint8Array(1025), 2048);
    expect(() => decoder.push(tooBig)).toThrow(expect.objectContaining({ code: "too_large" }));
    expect(decoder.bufferedBytes, "nothing is kept for a stream that is lost").toBe(0);
    const good = encodeFrame(2, Uint8Array.of(1, 2, 3));
    expect(() => decoder.push(good), "a good frame after it is refused too").toThrow(
      expect.objectContaining({ code: "too_large" }),
    );
    expect(decoder.bufferedBytes).toBe(0);
  });
});
