import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RpcError } from "../../shared/rpc-error.js";
import { anyString, anyValue } from "./any-value.js";
import { decodeValue, encodeValue, MAX_DEPTH, Tag } from "./serializer.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const fromHex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s/g, ""), "hex"));

/** `depth` arrays around a number: the number sits at depth `depth`. */
function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** The bytes of nested(depth), written by hand. */
function nestedBytes(depth: number): Uint8Array {
  const bytes = new Uint8Array(depth * 5 + 9);
  for (let i = 0; i < depth; i++) bytes.set([Tag.Array, 0, 0, 0, 1], i * 5);
  bytes.set([Tag.Number, 0x3f, 0xf0], depth * 5);
  return bytes;
}

function decodeError(bytes: Uint8Array | number[]): RpcError {
  try {
    decodeValue(Uint8Array.from(bytes));
  } catch (error) {
    expect(error, "refuse broken bytes with an RpcError").toBeInstanceOf(RpcError);
    return error as RpcError;
  }
  return expect.unreachable(`decodeValue(${hex(Uint8Array.from(bytes))}) must throw`) as never;
}

describe("task 2: encode values", () => {
  it("writes null, undefined and booleans as a single tag byte", () => {
    expect([...encodeValue(undefined)]).toEqual([Tag.Undefined]);
    expect([...encodeValue(null)]).toEqual([Tag.Null]);
    expect([...encodeValue(false)]).toEqual([Tag.False]);
    expect([...encodeValue(true)]).toEqual([Tag.True]);
  });

  it("writes a number as its tag and 8 bytes of big-endian float64", () => {
    expect(hex(encodeValue(1)), "is the float64 big-endian (writer.f64)?").toBe(
      "043ff0000000000000",
    );
    expect(hex(encodeValue(-0)), "-0 keeps its sign bit").toBe("048000000000000000");
    expect(hex(encodeValue(Infinity))).toBe("047ff0000000000000");
  });

  it("writes a string as its tag, its UTF-8 byte length, then UTF-8", () => {
    expect(hex(encodeValue("hi"))).toBe("050000000268" + "69");
    expect(hex(encodeValue("é")), "the length counts UTF-8 bytes, not characters").toBe(
      "0500000002c3a9",
    );
    expect(hex(encodeValue("😀"))).toBe("0500000004f09f9880");
    expect(hex(encodeValue(""))).toBe("0500000000");
  });

  it("writes bytes, arrays, objects and dates as documented in serializer.ts", () => {
    expect(hex(encodeValue(Uint8Array.of(0, 255)))).toBe("060000000200ff");
    expect(hex(encodeValue([1, "hi"]))).toBe(
      "0700000002" + "043ff0000000000000" + "05000000026869",
    );
    expect(hex(encodeValue({ a: true })), "a key is a length and UTF-8, then the value").toBe(
      "0800000001" + "0000000161" + "03",
    );
    expect(hex(encodeValue(new Date(0)))).toBe("090000000000000000");
  });

  it("writes large values whole", () => {
    const big = new Uint8Array(1 << 20).fill(7);
    const encoded = encodeValue(big);
    expect(encoded.length).toBe(5 + big.length);
    expect(encoded[encoded.length - 1]).toBe(7);
    const many = encodeValue(Array.from({ length: 100_000 }, (_, i) => i));
    expect(many.length).toBe(5 + 100_000 * 9);
  });

  it.each<[string, unknown]>([
    ["a function", () => 1],
    ["a symbol", Symbol("s")],
    ["a bigint", 1n],
    ["a Map", new Map()],
    ["a class instance", new (class Point {})()],
    ["a string with an unpaired surrogate", "\ud800"],
  ])("refuses %s with invalid_argument", (_, value) => {
    expect(() => encodeValue(value)).toThrow(RpcError);
    expect(() => encodeValue([value])).toThrow(
      expect.objectContaining({ code: "invalid_argument" }),
    );
  });

  it("refuses a value that contains itself instead of looping forever", () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => encodeValue(loop)).toThrow(expect.objectContaining({ code: "invalid_argument" }));
  });

  it(`writes a value nested ${MAX_DEPTH} deep, and refuses one more level`, () => {
    expect(hex(encodeValue(nested(MAX_DEPTH))), "the top value is at depth 0").toBe(
      hex(nestedBytes(MAX_DEPTH)),
    );
    expect(() => encodeValue(nested(MAX_DEPTH + 1))).toThrow(
      expect.objectContaining({ code: "invalid_argument" }),
    );
  });
});

describe("task 3: decode values, and refuse broken bytes", () => {
  it("reads every kind of value from the bytes the layout describes", () => {
    expect(decodeValue(fromHex("00"))).toBe(undefined);
    expect(decodeValue(fromHex("01"))).toBe(null);
    expect(decodeValue(fromHex("02"))).toBe(false);
    expect(decodeValue(fromHex("03"))).toBe(true);
    expect(decodeValue(fromHex("04 3ff0000000000000")), "float64, big-endian").toBe(1);
    expect(decodeValue(fromHex("05 00000002 c3a9")), "a UTF-8 byte length").toBe("é");
    expect(decodeValue(fromHex("06 00000002 00ff"))).toStrictEqual(Uint8Array.of(0, 255));
    expect(decodeValue(fromHex("07 00000002 043ff0000000000000 05000000026869"))).toStrictEqual([
      1,
      "hi",
    ]);
    expect(decodeValue(fromHex("08 00000001 0000000161 03"))).toStrictEqual({ a: true });
    expect(decodeValue(fromHex("09 0000000000000000"))).toStrictEqual(new Date(0));
  });

  it("round-trips every kind of value", () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        expect(decodeValue(encodeValue(value))).toStrictEqual(value);
      }),
      { numRuns: 100 },
    );
  });

  it("keeps -0, NaN, ±Infinity and the extremes of float64", () => {
    const numbers = [-0, NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53 + 2];
    const back = decodeValue(encodeValue(numbers)) as number[];
    numbers.forEach((n, i) =>
      expect(Object.is(back[i], n), `${n} must come back as ${n}`).toBe(true),
    );
  });

  it("round-trips strings in any script, emoji and control characters", () => {
    fc.assert(
      fc.property(anyString, (text) => {
        expect(decodeValue(encodeValue(text))).toBe(text);
      }),
    );
    const text = "Ünïcödé 世界 😀 \u0000 \u200d";
    expect(decodeValue(encodeValue(text))).toBe(text);
  });

  it("returns bytes as a plain Uint8Array of their own, even from a Buffer", () => {
    // The wire hands the server a Buffer, whose slice() is a view, unlike Uint8Array's.
    const message = Buffer.from(encodeValue(Uint8Array.of(1, 2, 3)));
    const decoded = decodeValue(message) as Uint8Array;
    expect(Object.getPrototypeOf(decoded), "a Uint8Array, not a Buffer").toBe(Uint8Array.prototype);
    message.fill(0);
    expect([...decoded], "copy the bytes out of the message").toEqual([1, 2, 3]);
  });

  it("keeps a key named __proto__ as a key, never as the prototype", () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as object;
    const back = decodeValue(encodeValue(value)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back), "build objects with Object.fromEntries").toBe(
      Object.prototype,
    );
    expect(Object.hasOwn(back, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("round-trips dates, invalid ones included", () => {
    const date = new Date("2024-02-29T12:34:56.789Z");
    expect(decodeValue(encodeValue(date))).toStrictEqual(date);
    expect((decodeValue(encodeValue(new Date(NaN))) as Date).getTime()).toBeNaN();
  });

  it("refuses input cut short at every byte with bad_message", () => {
    const encoded = encodeValue({ list: [1, "two", Uint8Array.of(3)], when: new Date(0) });
    for (let end = 0; end < encoded.length; end++) {
      expect(decodeError(encoded.subarray(0, end)).code, `cut after ${end} bytes`).toBe(
        "bad_message",
      );
    }
  });

  it("refuses an unknown tag, trailing bytes and invalid UTF-8", () => {
    expect(decodeError([0x7f]).message).toMatch(/tag/);
    expect(decodeError([Tag.True, 0]).code, "one value, then nothing").toBe("bad_message");
    expect(decodeError([Tag.String, 0, 0, 0, 2, 0xc3, 0x28]).code).toBe("bad_message");
  });

  it("does not trust a length field: no reading past the end, no huge allocation", () => {
    expect(decodeError([Tag.String, 0xff, 0xff, 0xff, 0xff, 0x61]).code).toBe("bad_message");
    expect(decodeError([Tag.Bytes, 0x7f, 0xff, 0xff, 0xff]).code).toBe("bad_message");
    expect(decodeError([Tag.Array, 0xff, 0xff, 0xff, 0xff, Tag.Null]).code).toBe("bad_message");
    expect(decodeError([Tag.Object, 0x10, 0, 0, 0]).code).toBe("bad_message");
  });

  it(`reads a value nested ${MAX_DEPTH} deep, and refuses one more level`, () => {
    expect(decodeValue(nestedBytes(MAX_DEPTH))).toEqual(nested(MAX_DEPTH));
    expect(decodeError(nestedBytes(MAX_DEPTH + 1)).code).toBe("bad_message");
  });

  it(`refuses values nested deeper than ${MAX_DEPTH} levels, without overflowing the stack`, () => {
    const depth = 100_000;
    const bytes = new Uint8Array(depth * 5 + 1);
    for (let i = 0; i < depth; i++) bytes.set([Tag.Array, 0, 0, 0, 1], i * 5);
    bytes[depth * 5] = Tag.Null;
    const error = decodeError(bytes);
    expect(error.code).toBe("bad_message");
    expect(error.message).toMatch(/deep|nest/);
  });

  it("answers any bytes with a value or bad_message, nothing else", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeValue(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(RpcError);
          expect((error as RpcError).code).toBe("bad_message");
        }
      }),
      { numRuns: 100 },
    );
  });
});
