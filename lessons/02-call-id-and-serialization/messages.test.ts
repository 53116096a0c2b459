import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DivisionByZeroError } from "../../shared/calculator.js";
import { RpcError } from "../../shared/rpc-error.js";
import { anyValue } from "./any-value.js";
import {
  decodeCall,
  decodeReply,
  encodeCall,
  encodeReply,
  errorToWire,
  Kind,
  wireToError,
} from "./messages.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

function refusal(run: () => unknown): RpcError {
  try {
    run();
  } catch (error) {
    expect(error, "refuse broken bytes with an RpcError").toBeInstanceOf(RpcError);
    return error as RpcError;
  }
  return expect.unreachable("decoding must throw") as never;
}

describe("task 4: calls and replies", () => {
  it("writes a call as kind, call ID, then the arguments as one array", () => {
    const bytes = encodeCall({ callId: 258, args: [true] });
    expect(hex(bytes), "kind 01 | call ID 00000102 (big-endian) | array of one true").toBe(
      "01" + "00000102" + "0700000001" + "03",
    );
  });

  it("refuses a reply whose error code is not one of the course's, even __proto__", () => {
    for (const code of ["no_such_code", "__proto__", "toString"]) {
      const bytes = encodeReply({
        ok: false,
        error: { code: code as RpcError["code"], name: "Error", message: "x" },
      });
      expect(() => decodeReply(bytes), code).toThrow(
        expect.objectContaining({ code: "bad_message" }),
      );
    }
  });

  it("round-trips calls with any arguments", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 0xffff_ffff }),
        fc.array(anyValue, { maxLength: 4 }),
        (id, args) => {
          expect(decodeCall(encodeCall({ callId: id, args }))).toStrictEqual({ callId: id, args });
        },
      ),
      { numRuns: 100 },
    );
  });

  it("round-trips a result of any kind", () => {
    fc.assert(
      fc.property(anyValue, (result) => {
        expect(decodeReply(encodeReply({ ok: true, result }))).toStrictEqual({ ok: true, result });
      }),
      { numRuns: 100 },
    );
    expect(encodeReply({ ok: true, result: 3 })[0]).toBe(Kind.Result);
  });

  it("carries an error's code, name and message, in any language", () => {
    const error = {
      code: "remote_error" as const,
      name: "DivisionByZeroError",
      message: "除以零 ÷ 0",
    };
    const bytes = encodeReply({ ok: false, error });
    expect(bytes[0]).toBe(Kind.Error);
    expect(decodeReply(bytes)).toStrictEqual({ ok: false, error });
  });

  it("describes a thrown error by name and message, and rebuilds it as an RpcError", () => {
    const wire = errorToWire(new DivisionByZeroError());
    expect(wire).toEqual({
      code: "remote_error",
      name: "DivisionByZeroError",
      message: "division by zero",
    });
    const rebuilt = wireToError(wire);
    expect(rebuilt).toBeInstanceOf(RpcError);
    expect(rebuilt).toMatchObject({ code: "remote_error", remoteName: "DivisionByZeroError" });
    const unknown = errorToWire(new RpcError("unknown_method", "no method named power"));
    expect(unknown.code, "an RpcError keeps its code").toBe("unknown_method");
    expect(wireToError(unknown).code).toBe("unknown_method");
    expect(errorToWire("out of cheese"), "a thrown string is an Error by that text").toEqual({
      code: "remote_error",
      name: "Error",
      message: "out of cheese",
    });
  });

  it("refuses a reply where a call is expected, and the other way round", () => {
    const call = encodeCall({ callId: 1, args: [] });
    const reply = encodeReply({ ok: true, result: null });
    expect(refusal(() => decodeCall(reply)).code).toBe("bad_message");
    expect(refusal(() => decodeReply(call)).code).toBe("bad_message");
  });

  it("refuses calls whose arguments are not an array, cut short, or followed by junk", () => {
    const notArray = Uint8Array.of(Kind.Call, 0, 0, 0, 1, 0x01 /* null */);
    expect(refusal(() => decodeCall(notArray)).code).toBe("bad_message");
    const call = encodeCall({ callId: 1, args: [1, 2] });
    for (let end = 0; end < call.length; end++) {
      expect(refusal(() => decodeCall(call.subarray(0, end))).code).toBe("bad_message");
    }
    expect(refusal(() => decodeCall(Uint8Array.of(...call, 0))).code).toBe("bad_message");
  });

  it("refuses an error reply with a code nobody knows", () => {
    const bytes = encodeReply({ ok: false, error: { code: "internal", name: "E", message: "m" } });
    // Overwrite "internal" (8 bytes after the kind and the length) with "whatever".
    Buffer.from(bytes.buffer, bytes.byteOffset).write("whatever", 5);
    expect(refusal(() => decodeReply(bytes)).code).toBe("bad_message");
  });
});
