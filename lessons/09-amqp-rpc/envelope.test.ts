import { describe, expect, it } from "vitest";
import { RpcError } from "../../shared/rpc-error.js";
import {
  deserializeRemoteError,
  packContext,
  serializeRemoteError,
  unpackContext,
  unwrap,
  wrap,
} from "./envelope.js";

const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

describe("task 2: wrap messages in the oslo envelope", () => {
  it('wraps a message as {"oslo.version": "2.0", "oslo.message": <JSON text>}', () => {
    const envelope = wrap({ method: "add", args: { a: 1, b: 2 } });
    expect(envelope["oslo.version"]).toBe("2.0");
    expect(typeof envelope["oslo.message"], "the inner message is JSON *text*").toBe("string");
    expect(JSON.parse(envelope["oslo.message"])).toEqual({ method: "add", args: { a: 1, b: 2 } });
  });

  it("unwraps what oslo.messaging sends, and what wrap() makes", () => {
    // Captured from Python: client.cast({"user": "ada"}, "add", a=1, b=2)
    const fromPython =
      '{"oslo.version": "2.0", "oslo.message": "{\\"method\\": \\"add\\", \\"args\\": ' +
      '{\\"a\\": 1, \\"b\\": 2}, \\"_unique_id\\": \\"8b02\\", \\"_context_user\\": \\"ada\\"}"}';
    expect(unwrap(Buffer.from(fromPython))).toEqual({
      method: "add",
      args: { a: 1, b: 2 },
      _unique_id: "8b02",
      _context_user: "ada",
    });
    expect(unwrap(bytes(wrap({ result: [1, "two"] })))).toEqual({ result: [1, "two"] });
  });

  it("accepts a bare message without an envelope (oslo's format 1.0)", () => {
    expect(unwrap(bytes({ method: "add", args: {} }))).toEqual({ method: "add", args: {} });
  });

  it.each([
    ["not JSON", Buffer.from("add 1 2")],
    ["a JSON array", bytes([1, 2])],
    [
      "an envelope of another major version",
      bytes({ "oslo.version": "3.0", "oslo.message": "{}" }),
    ],
    [
      "an envelope whose message is not JSON",
      bytes({ "oslo.version": "2.0", "oslo.message": "{" }),
    ],
    [
      "an envelope whose message is not an object",
      bytes({ "oslo.version": "2.0", "oslo.message": "7" }),
    ],
  ])("refuses %s with bad_message", (_label, body) => {
    try {
      unwrap(body);
      expect.unreachable("unwrap must throw");
    } catch (error) {
      expect(error, "throw an RpcError").toBeInstanceOf(RpcError);
      expect((error as RpcError).code).toBe("bad_message");
    }
  });

  it("packs the context as _context_<key> fields, and unpacks only those", () => {
    const message: Record<string, unknown> = { method: "add" };
    packContext(message, { user: "ada", request_id: "req-1" });
    expect(message).toEqual({ method: "add", _context_user: "ada", _context_request_id: "req-1" });
    expect(unpackContext({ ...message, _msg_id: "m", _unique_id: "u" })).toEqual({
      user: "ada",
      request_id: "req-1",
    });
  });

  it("serializes a thrown error as oslo's failure: class, module, message, tb, args, kwargs", () => {
    class QuotaExceeded extends Error {
      override name = "QuotaExceeded";
    }
    const failure = JSON.parse(serializeRemoteError(new QuotaExceeded("no more cores")));
    expect(failure).toMatchObject({
      class: "QuotaExceeded",
      message: "no more cores",
      args: ["no more cores"],
      kwargs: {},
    });
    expect(typeof failure.module, "a Python caller reads the module").toBe("string");
    expect(Array.isArray(failure.tb), "tb is a list of lines").toBe(true);
  });

  it("sends no stack trace and no file path to the caller", () => {
    const failure = JSON.parse(serializeRemoteError(new Error("disk full")));
    const tb = (failure.tb as string[]).join("");
    expect(tb, "the error's own words only").toContain("disk full");
    expect(tb, "no stack frames").not.toMatch(/\bat\s/);
    expect(tb, "no file paths").not.toMatch(/\/[\w.-]+\.(ts|js)\b|file:\/\//);
  });

  it("describes a thrown value that is not an Error, even one whose toString is broken", () => {
    const failure = JSON.parse(serializeRemoteError({ toString: 1 }));
    expect(typeof failure.message).toBe("string");
  });

  it("marks TypeError as a builtin, so that Python rebuilds its own TypeError", () => {
    expect(JSON.parse(serializeRemoteError(new TypeError("bad"))).module).toBe("builtins");
  });

  it("turns a failure into an RpcError remote_error with the remote class name", () => {
    // Sent by a Python server whose method raised ZeroDivisionError("division by zero").
    const failure = JSON.stringify({
      class: "ZeroDivisionError",
      module: "builtins",
      message: "division by zero",
      tb: ["Traceback (most recent call last):\n", "ZeroDivisionError: division by zero\n"],
      args: ["division by zero"],
      kwargs: {},
    });
    const error = deserializeRemoteError(failure);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({
      code: "remote_error",
      remoteName: "ZeroDivisionError",
      message: "division by zero",
    });
  });

  it("gives oslo's NoSuchMethod and UnsupportedVersion the code unknown_method", () => {
    const failure = (name: string) =>
      JSON.stringify({ class: name, module: "oslo_messaging.rpc.dispatcher", message: "m" });
    expect(deserializeRemoteError(failure("NoSuchMethod"))).toMatchObject({
      code: "unknown_method",
      remoteName: "NoSuchMethod",
    });
    expect(deserializeRemoteError(failure("UnsupportedVersion")).code).toBe("unknown_method");
  });

  it("survives a failure that is not even JSON", () => {
    const error = deserializeRemoteError("Traceback: something broke");
    expect(error.code).toBe("remote_error");
    expect(error.message).toContain("something broke");
  });
});
