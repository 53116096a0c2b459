import { describe, expect, it } from "vitest";
import { DivisionByZeroError } from "../../shared/calculator.js";
import { RpcError } from "../../shared/rpc-error.js";
import { ErrorCode, protocolError } from "./error-codes.js";
import { toErrorObject, toRpcError } from "./protocol.js";

describe("task 1: map errors to JSON-RPC codes and back", () => {
  it.each([
    ["unknown_method", -32601, "Method not found"],
    ["invalid_argument", -32602, "Invalid params"],
    ["bad_message", -32600, "Invalid Request"],
    ["too_large", -32600, "Invalid Request"],
  ] as const)("turns RpcError %s into %i %s, with the detail in data", (code, number, message) => {
    const error = toErrorObject(new RpcError(code, 'no method named "power"'));
    expect(error).toMatchObject({ code: number, message });
    expect(error.data, "keep the detail for the client in data.detail").toEqual({
      detail: 'no method named "power"',
    });
  });

  it("reports a thrown error by its message, and its name in data", () => {
    const error = toErrorObject(new DivisionByZeroError());
    expect(error).toMatchObject({ code: -32000, message: "division by zero" });
    expect(error.data, "the name is all a client sees of the error's class").toEqual({
      name: "DivisionByZeroError",
    });
  });

  it("treats a thrown TypeError as invalid params, as jsonrpclib does", () => {
    const error = toErrorObject(new TypeError("add(a, b) takes two numbers, got (string, number)"));
    expect(error.code).toBe(-32602);
    expect(JSON.stringify(error.data)).toMatch(/takes two numbers/);
  });

  it.each(["internal", "unavailable", "deadline_exceeded", "canceled"] as const)(
    "says only 'Internal error' about RpcError %s: no message, no stack",
    (code) => {
      const bug = new RpcError(code, "cannot read properties of undefined (reading 'x')");
      const error = toErrorObject(bug);
      expect(error).toMatchObject({ code: -32603, message: "Internal error" });
      expect(JSON.stringify(error), "the details stay in the server's log").not.toMatch(
        /properties|undefined|\.ts|\bat /,
      );
    },
  );

  it("reports a thrown non-Error by its text, with the name Error", () => {
    expect(toErrorObject("out of cheese")).toMatchObject({
      code: -32000,
      message: "out of cheese",
      data: { name: "Error" },
    });
    expect(toErrorObject(42)).toMatchObject({ code: -32000, message: "42" });
  });

  it("never puts a stack trace in an error object", () => {
    for (const thrown of [new Error("boom"), new TypeError("bad"), new DivisionByZeroError(), 42]) {
      const text = JSON.stringify(toErrorObject(thrown));
      expect(text, `for ${String(thrown)}`).not.toMatch(/\n\s+at |\.ts:\d+|node:internal/);
    }
  });

  it.each([
    [-32700, "bad_message"],
    [-32600, "bad_message"],
    [-32601, "unknown_method"],
    [-32602, "invalid_argument"],
    [-32603, "internal"],
  ] as const)("turns code %i back into RpcError %s", (code, rpcCode) => {
    const error = toRpcError({ code, message: "whatever" });
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code).toBe(rpcCode);
  });

  it("turns any other code into remote_error, with the name from data", () => {
    const error = toRpcError({
      code: -32000,
      message: "division by zero",
      data: { name: "DivisionByZeroError" },
    });
    expect(error).toMatchObject({
      code: "remote_error",
      message: "division by zero",
      remoteName: "DivisionByZeroError",
    });
    const foreign = toRpcError({ code: 42, message: "the answer" });
    expect(foreign.code).toBe("remote_error");
    expect(foreign.remoteName, "without a name, say which code it was").toMatch(/42/);
  });

  it("keeps the detail in the message, and the error object as the cause", () => {
    const raw = {
      code: -32601,
      message: "Method not found",
      data: { detail: 'no method named "power"' },
    };
    const error = toRpcError(raw);
    expect(error.message).toMatch(/Method not found.*power/);
    expect(error.cause, "a caller may want the JSON-RPC code itself").toEqual(raw);
  });
});

describe("error-codes.ts (written for you)", () => {
  it("gives every predefined code the specification's number and message", () => {
    expect(ErrorCode).toMatchObject({
      ParseError: -32700,
      InvalidRequest: -32600,
      MethodNotFound: -32601,
      InvalidParams: -32602,
      InternalError: -32603,
    });
    expect(protocolError(ErrorCode.MethodNotFound, "no power")).toMatchObject({
      code: -32601,
      message: "Method not found",
      data: { detail: "no power" },
    });
  });
});
