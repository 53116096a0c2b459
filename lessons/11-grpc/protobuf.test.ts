import { describe, expect, it } from "vitest";
import { RpcError } from "../../shared/rpc-error.js";
import {
  decodeMessage,
  encodeMessage,
  Numbers,
  NumberMessage,
  Pair,
  Range,
  type Schema,
} from "./messages.js";
import {
  decodeFields,
  decodeVarint,
  encodeVarint,
  ProtoWriter,
  zigzagDecode,
  zigzagEncode,
} from "./protobuf.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const bytes = (hexText: string) => Uint8Array.from(Buffer.from(hexText, "hex"));

describe("task 1: varints and zigzag", () => {
  it("writes 7 bits per byte, low group first, the high bit saying 'more'", () => {
    expect(hex(encodeVarint(0n))).toBe("00");
    expect(hex(encodeVarint(1n))).toBe("01");
    expect(hex(encodeVarint(127n))).toBe("7f");
    expect(hex(encodeVarint(150n)), "150 is the example of the protobuf docs").toBe("9601");
    expect(hex(encodeVarint(300n))).toBe("ac02");
  });

  it("writes a negative int64 as ten bytes (two's complement)", () => {
    expect(hex(encodeVarint(-1n))).toBe("ffffffffffffffffff01");
  });

  it("reads a varint and says where it ends", () => {
    expect(decodeVarint(bytes("9601ff"), 0)).toEqual([150n, 2]);
    expect(decodeVarint(bytes("00ac02"), 1)).toEqual([300n, 3]);
    expect(decodeVarint(bytes("ffffffffffffffffff01"), 0)).toEqual([2n ** 64n - 1n, 10]);
  });

  it("refuses a varint over 10 bytes and a truncated one with bad_message", () => {
    expect(() => decodeVarint(bytes("ffffffffffffffffffff01"), 0)).toThrow(
      expect.objectContaining({ code: "bad_message" }),
    );
    expect(() => decodeVarint(bytes("96"), 0)).toThrow(RpcError);
  });

  it("zigzag keeps small negatives small: 0, -1, 1, -2 → 0, 1, 2, 3", () => {
    expect([0n, -1n, 1n, -2n, 2147483647n, -2147483648n].map(zigzagEncode)).toEqual([
      0n,
      1n,
      2n,
      3n,
      4294967294n,
      4294967295n,
    ]);
    for (const n of [0n, -1n, 1n, -(2n ** 63n), 2n ** 63n - 1n])
      expect(zigzagDecode(zigzagEncode(n))).toBe(n);
  });
});

describe("task 2: fields, tags and wire types", () => {
  it("writes each field as a key ((number << 3) | wire type) then its value", () => {
    const written = new ProtoWriter()
      .varint(1, 150n)
      .bytes(2, Buffer.from("hi"))
      .double(3, 1)
      .finish();
    expect(hex(written)).toBe("089601" + "12026869" + "19000000000000f03f");
  });

  it("splits a message into raw fields", () => {
    const fields = decodeFields(bytes("089601" + "12026869" + "1d01000000"));
    expect(fields.map((f) => [f.field, f.wireType])).toEqual([
      [1, 0],
      [2, 2],
      [3, 5],
    ]);
    expect(fields[0]!.value).toBe(150n);
    expect(hex(fields[1]!.value as Uint8Array)).toBe("6869");
  });

  it("refuses a length running past the end, and an unknown wire type", () => {
    expect(() => decodeFields(bytes("120568"))).toThrow(
      expect.objectContaining({ code: "bad_message" }),
    );
    expect(() => decodeFields(bytes("0f00")), "wire type 7 does not exist").toThrow(RpcError);
  });
});

describe("task 3: the calculator's messages", () => {
  it("encodes a Pair as two doubles and leaves defaults off the wire", () => {
    expect(hex(encodeMessage(Pair, { a: 1, b: 2 }))).toBe(
      "09000000000000f03f" + "110000000000000040",
    );
    expect(encodeMessage(Pair, { a: 0, b: 0 }).length, "proto3 does not send zeros").toBe(0);
    expect(decodeMessage(Pair, new Uint8Array(0))).toEqual({ a: 0, b: 0 });
  });

  it("encodes sint64 with zigzag and round-trips a Range", () => {
    expect(hex(encodeMessage(Range, { from: -1n, to: 1n }))).toBe("0801" + "1002");
    const range = { from: -5n, to: 2n ** 40n, step: 3n };
    expect(decodeMessage(Range, encodeMessage(Range, range))).toEqual(range);
  });

  it("packs a repeated field into one length-delimited field", () => {
    expect(hex(encodeMessage(Numbers, { values: [1n, -1n, 150n] }))).toBe(
      "0a04" + "02" + "01" + "ac02",
    );
    expect(decodeMessage(Numbers, bytes("0a0402" + "01ac02")).values).toEqual([1n, -1n, 150n]);
  });

  it("schema evolution: an older reader skips the fields a newer writer added", () => {
    // Version 2 of Number adds a label (field 2, string) and a weight (field 3, sint64).
    const NumberV2 = {
      value: { no: 1, type: "double" },
      label: { no: 2, type: "string" },
      weight: { no: 3, type: "sint64" },
    } satisfies Schema;
    const newer = encodeMessage(NumberV2, { value: 42, label: "answer", weight: -7n });
    expect(decodeMessage(NumberMessage, newer), "unknown field numbers are skipped").toEqual({
      value: 42,
    });
    expect(decodeMessage(NumberV2, encodeMessage(NumberMessage, { value: 42 }))).toEqual({
      value: 42,
      label: "",
      weight: 0n,
    });
  });

  it("refuses a known field with the wrong wire type", () => {
    // Field 1 of Pair is a double (wire type 1); here it comes as a varint (wire type 0).
    expect(() => decodeMessage(Pair, bytes("0801"))).toThrow(
      expect.objectContaining({ code: "bad_message" }),
    );
  });
});
