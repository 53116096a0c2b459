import { encode } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import { DivisionByZeroError } from "../../shared/calculator.js";
import { RpcError } from "../../shared/rpc-error.js";
import {
  createEvent,
  decodeEvent,
  encodeEvent,
  errorArgs,
  errorFromArgs,
  EVENT,
  messageIdKey,
  PROTOCOL_VERSION,
} from "./events.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const fromHex = (text: string) => Buffer.from(text, "hex");

// Bytes produced by Python: msgpack.packb(event, use_bin_type=True), as zerorpc-python does.
const PY_CALL = "9382aa6d6573736167655f6964a3616263a17603a3616464920b21";
const PY_CALL_BIN_ID = "9382aa6d6573736167655f6964c4083031323361626364a17603a3616464920b21";
const PY_OK = "9383aa6d6573736167655f6964a27231a17603ab726573706f6e73655f746fa3616263a24f4b912c";
const PY_STREAM_DONE =
  "9383aa6d6573736167655f6964a27232a17603ab726573706f6e73655f746fc4083031323361626364" +
  "ab53545245414d5f444f4e45c0";
// [{"message_id": "m", "v": 3}, "OK", [{1: "a", 2: "b"}]]: a dict with int keys.
const PY_INT_KEYS = "9382aa6d6573736167655f6964a16da17603a24f4b918201a16102a162";
// The same, with [{2**60: "big", -1: "neg", 1.5: "half", True: "yes", None: "nil", b"k": "bytes", "s": "str"}].
const PY_ALL_KEYS =
  "9382aa6d6573736167655f6964a16da17603a24f4b9187cf1000000000000000a3626967ffa36e6567cb3ff8" +
  "000000000000a468616c66c3a3796573c0a36e696cc4016ba56279746573a173a3737472";
// The same, with [{"names": {1: "a"}, "plain": {"x": 1}}].
const PY_NESTED_KEYS =
  "9382aa6d6573736167655f6964a16da17603a24f4b9182a56e616d65738101a161a5706c61696e81a17801";
// [{"message_id": "m", "v": 3}, "add", [{"__proto__": {"polluted": True}}]], then the same
// map with an int key first, then [{"constructor": {"prototype": {"polluted": True}}}].
const PY_PROTO =
  "9382aa6d6573736167655f6964a16da17603a36164649181a95f5f70726f746f5f5f81a8706f6c6c75746564c3";
const PY_PROTO_INT =
  "9382aa6d6573736167655f6964a16da17603a3616464918201a161a95f5f70726f746f5f5f81a8706f6c6c" +
  "75746564c3";
const PY_CONSTRUCTOR =
  "9382aa6d6573736167655f6964a16da17603a36164649181ab636f6e7374727563746f7281a970726f746f" +
  "7479706581a8706f6c6c75746564c3";

describe("task 3: zerorpc events", () => {
  it("encodes [header, name, args] byte for byte as zerorpc-python does", () => {
    expect(
      hex(encodeEvent({ header: { message_id: "abc", v: 3 }, name: "add", args: [11, 33] })),
    ).toBe(PY_CALL);
    expect(
      hex(
        encodeEvent({
          header: { message_id: "r1", v: 3, response_to: "abc" },
          name: "OK",
          args: [44],
        }),
      ),
    ).toBe(PY_OK);
  });

  it("keeps a bytes message_id as msgpack bin, and nil args as nil", () => {
    const id = new Uint8Array(Buffer.from("0123abcd"));
    expect(
      hex(encodeEvent({ header: { message_id: id, v: 3 }, name: "add", args: [11, 33] })),
    ).toBe(PY_CALL_BIN_ID);
    expect(
      hex(
        encodeEvent({
          header: { message_id: "r2", v: 3, response_to: id },
          name: "STREAM_DONE",
          args: null,
        }),
      ),
    ).toBe(PY_STREAM_DONE);
  });

  it("creates events with a fresh message_id, v: 3, and response_to only for replies", () => {
    const call = createEvent("add", [1, 2]);
    expect(Object.keys(call.header), "header keys in zerorpc-python's order").toEqual([
      "message_id",
      "v",
    ]);
    expect(call.header.v).toBe(PROTOCOL_VERSION);
    expect(PROTOCOL_VERSION).toBe(3);
    expect(createEvent("add", []).header.message_id, "every event gets its own id").not.toEqual(
      call.header.message_id,
    );
    const reply = createEvent(EVENT.OK, [3], call.header.message_id);
    expect(Object.keys(reply.header)).toEqual(["message_id", "v", "response_to"]);
    expect(reply.header.response_to).toBe(call.header.message_id);
    expect(reply).toMatchObject({ name: "OK", args: [3] });
  });

  it("decodes what zerorpc-python sends, bytes message ids included", () => {
    expect(decodeEvent(fromHex(PY_CALL))).toEqual({
      header: { message_id: "abc", v: 3 },
      name: "add",
      args: [11, 33],
    });
    const done = decodeEvent(fromHex(PY_STREAM_DONE));
    expect(done.name).toBe("STREAM_DONE");
    expect(done.args).toBeNull();
    expect(done.header.response_to, "bin stays bytes, to be echoed as bytes").toBeInstanceOf(
      Uint8Array,
    );
  });

  it.each([
    ["bytes that are not msgpack", Buffer.from([0xc1])],
    ["msgpack with bytes left over", Buffer.concat([fromHex(PY_CALL), Buffer.from([0x01])])],
    ["a value that is not an array", encode("add")],
    ["an array of two", encode([{ message_id: "a", v: 3 }, "add"])],
    ["a header that is not a map", encode([["message_id", "a"], "add", []])],
    ["a header without message_id", encode([{ v: 3 }, "add", []])],
    ["a numeric message_id", encode([{ message_id: 7, v: 3 }, "add", []])],
    ["a numeric response_to", encode([{ message_id: "a", v: 3, response_to: 1 }, "OK", []])],
    ["a name that is not a string", encode([{ message_id: "a", v: 3 }, 42, []])],
    ["an empty name", encode([{ message_id: "a", v: 3 }, "", []])],
  ])("refuses %s with bad_message", (_label, bytes) => {
    try {
      decodeEvent(bytes);
      expect.unreachable("decodeEvent must throw");
    } catch (error) {
      expect(error, "throw RpcError, never a raw TypeError or RangeError").toBeInstanceOf(RpcError);
      expect((error as RpcError).code).toBe("bad_message");
    }
  });

  it("sends no stack trace and no file path in an ERR's traceback", () => {
    const [, , traceback] = errorArgs(new Error("disk full"));
    expect(traceback, "no stack frames").not.toMatch(/\bat\s/);
    expect(traceback, "no file paths").not.toMatch(/\/[\w.-]+\.(ts|js)\b|file:\/\//);
    expect(errorArgs({ toString: 1 })[0], "describing a thrown non-Error never throws").toBe(
      "Error",
    );
  });

  it("keeps 64-bit integers exact: 2^60 from Python arrives as a bigint, small ones as numbers", () => {
    const big = 2n ** 60n;
    // What Python's msgpack writes for [header, "OK", [2**60, 5, 2**40]]: uint64 for the first.
    const bytes = encodeEvent({
      header: { message_id: "m", v: 3 },
      name: "OK",
      args: [big, 5, 2 ** 40],
    });
    const event = decodeEvent(bytes);
    expect(event.args, "exact past 2^53; numbers where a number is exact").toEqual([
      big,
      5,
      2 ** 40,
    ]);
  });

  it('keeps int map keys: Python\'s {1: "a", 2: "b"} arrives as a Map and goes back byte for byte', () => {
    const event = decodeEvent(fromHex(PY_INT_KEYS));
    const [map] = event.args as [unknown];
    expect(map, "a map whose keys are not all strings is a Map (decodeMsgpack)").toBeInstanceOf(
      Map,
    );
    expect([...(map as Map<unknown, unknown>)]).toEqual([
      [1, "a"],
      [2, "b"],
    ]);
    expect(hex(encodeEvent(event)), "encode with encodeMsgpack: a Map keeps its keys").toBe(
      PY_INT_KEYS,
    );
  });

  it("gives every key type Python may send its type back, and keeps string-keyed maps plain objects", () => {
    const [all] = decodeEvent(fromHex(PY_ALL_KEYS)).args as [Map<unknown, unknown>];
    const keys = [...all.keys()];
    expect(keys.slice(0, 5), "2^60 stays a bigint").toEqual([2n ** 60n, -1, 1.5, true, null]);
    expect(keys[5], "bytes stay bytes").toBeInstanceOf(Uint8Array);
    expect(keys[6]).toBe("s");
    expect(hex(encodeEvent({ header: { message_id: "m", v: 3 }, name: "OK", args: [all] }))).toBe(
      PY_ALL_KEYS,
    );
    const [nested] = decodeEvent(fromHex(PY_NESTED_KEYS)).args as [Record<string, unknown>];
    expect(Object.getPrototypeOf(nested)).toBe(Object.prototype);
    expect(nested.names).toEqual(new Map([[1, "a"]]));
    expect(nested.plain).toEqual({ x: 1 });
    expect(Object.getPrototypeOf(nested.plain)).toBe(Object.prototype);
  });

  it("never lets a __proto__ or constructor key reach a prototype", () => {
    for (const bytes of [PY_PROTO, PY_PROTO_INT]) {
      expect(() => decodeEvent(fromHex(bytes)), "a __proto__ key is refused").toThrow(
        expect.objectContaining({ code: "bad_message" }),
      );
    }
    const [map] = decodeEvent(fromHex(PY_CONSTRUCTOR)).args as [Record<string, unknown>];
    expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
    expect(Object.hasOwn(map, "constructor"), "constructor is a key like any other").toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.constructor).toBe(Object);
  });

  it(
    "decodes maps with int keys nested 10,000 deep without running out of stack",
    // Ten thousand levels take a tenth of a second or more to decode: a slow check.
    { tags: ["slow"] },
    () => {
      const head = fromHex(PY_INT_KEYS).subarray(0, 22); // [header, "OK", [ : all but the map
      const bytes = Buffer.concat([
        head,
        Buffer.from(new Array(10_000).fill([0x81, 0x01]).flat()),
        Buffer.from([0xc0]),
      ]);
      let value = (decodeEvent(bytes).args as unknown[])[0];
      let depth = 0;
      while (value instanceof Map) {
        value = value.get(1);
        depth += 1;
      }
      expect(depth).toBe(10_000);
    },
  );

  it("turns errors into ERR args [name, message, traceback] and back", () => {
    const [name, message, traceback] = errorArgs(new DivisionByZeroError());
    expect([name, message]).toEqual(["DivisionByZeroError", "division by zero"]);
    expect(typeof traceback).toBe("string");
    expect(
      errorArgs(new RpcError("unknown_method", 'no method named "power"')),
      "an unknown method is a NameError, as in zerorpc-python",
    ).toEqual(["NameError", 'no method named "power"', ""]);

    expect(errorFromArgs(["DivisionByZeroError", "division by zero", "..."])).toMatchObject({
      code: "remote_error",
      remoteName: "DivisionByZeroError",
      message: "division by zero",
    });
    expect(errorFromArgs(["NameError", "power", ""])).toMatchObject({ code: "unknown_method" });
    expect(errorFromArgs("not a list")).toMatchObject({ code: "bad_message" });
  });
});

describe("given code (not a task): messageIdKey", () => {
  it("names channels so that text and bytes ids never collide", () => {
    const text = messageIdKey("6162");
    const bytes = messageIdKey(new Uint8Array([0x61, 0x62]));
    expect(text).not.toBe(bytes);
    expect(messageIdKey(new Uint8Array([0x61, 0x62]))).toBe(bytes);
  });
});
