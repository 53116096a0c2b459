import { describe, expect, it } from "vitest";
import { RpcError } from "../../shared/rpc-error.js";
import { FaultCode, faultFor, XmlRpcFault } from "./faults.js";
import { decodeCall, decodeResponse, encodeCall, encodeFault, encodeResponse } from "./messages.js";
import { XmlSyntaxError } from "./xml-reader.js";
import { DivisionByZeroError } from "../../shared/calculator.js";

// What Python's xmlrpc.client sends for ServerProxy(...).add(1, 2): newlines between elements.
const PYTHON_CALL = `<?xml version='1.0'?>
<methodCall>
<methodName>add</methodName>
<params>
<param>
<value><int>1</int></value>
</param>
<param>
<value><int>2</int></value>
</param>
</params>
</methodCall>
`;

describe("task 4: calls, responses and faults", () => {
  it("writes add(1, 2) as a methodCall, in the 175 bytes the README counts", () => {
    const xml = encodeCall("add", [1, 2]);
    expect(xml).toBe(
      '<?xml version="1.0"?><methodCall><methodName>add</methodName><params>' +
        "<param><value><int>1</int></value></param><param><value><int>2</int></value></param>" +
        "</params></methodCall>",
    );
    expect(Buffer.byteLength(xml)).toBe(175);
  });

  it("reads a methodCall back, as Python writes it too", () => {
    expect(decodeCall(encodeCall("hello", ["Ada"]))).toEqual({ method: "hello", params: ["Ada"] });
    expect(decodeCall(PYTHON_CALL)).toEqual({ method: "add", params: [1, 2] });
    expect(
      decodeCall("<methodCall><methodName>system.listMethods</methodName></methodCall>"),
      "a call without <params> has no parameters",
    ).toEqual({ method: "system.listMethods", params: [] });
  });

  it("refuses method names the specification does not allow", () => {
    expect(() => encodeCall("add me", [])).toThrow(RpcError);
    expect(() => decodeCall("<methodCall><methodName>a&lt;b</methodName></methodCall>")).toThrow(
      /method name/,
    );
  });

  it("refuses documents that are XML but not a methodCall", () => {
    for (const xml of [
      "<methodResponse/>",
      "<methodCall><params/></methodCall>",
      "<methodCall><methodName>add</methodName><params><value><int>1</int></value></params></methodCall>",
      "<methodCall><methodName>add</methodName><params><param/></params></methodCall>",
    ]) {
      const error = (() => {
        try {
          decodeCall(xml);
        } catch (e) {
          return e;
        }
      })();
      expect(error, `must refuse ${xml}`).toBeInstanceOf(RpcError);
      expect(error, "well-formed XML is not a parse error").not.toBeInstanceOf(XmlSyntaxError);
      expect((error as RpcError).code).toBe("bad_message");
    }
  });

  it("writes a result and reads it back", () => {
    expect(encodeResponse(3)).toBe(
      '<?xml version="1.0"?><methodResponse><params><param><value><int>3</int></value>' +
        "</param></params></methodResponse>",
    );
    expect(decodeResponse(encodeResponse({ ok: [true, null] }))).toEqual({
      ok: true,
      value: { ok: [true, null] },
    });
  });

  it("writes a fault as a struct of faultCode and faultString, and reads it back", () => {
    const xml = encodeFault({ faultCode: 4, faultString: "Too many <params>" });
    expect(xml).toContain("<name>faultCode</name><value><int>4</int></value>");
    expect(xml).toContain("<string>Too many &lt;params&gt;</string>");
    expect(decodeResponse(xml)).toEqual({
      ok: false,
      fault: { faultCode: 4, faultString: "Too many <params>" },
    });
    expect(() =>
      decodeResponse("<methodResponse><fault><value><int>1</int></value></fault></methodResponse>"),
    ).toThrow(/faultCode/);
  });

  it("gives each kind of error its fault code", () => {
    expect(faultFor(new XmlSyntaxError("oops")).faultCode).toBe(FaultCode.parseError);
    expect(faultFor(new RpcError("bad_message", "no")).faultCode).toBe(FaultCode.invalidRequest);
    expect(faultFor(new RpcError("unknown_method", "no")).faultCode).toBe(FaultCode.methodNotFound);
    expect(faultFor(new RpcError("invalid_argument", "no")).faultCode).toBe(
      FaultCode.invalidParams,
    );
    expect(faultFor(new TypeError("add(a, b) takes two numbers"))).toEqual({
      faultCode: FaultCode.invalidParams,
      faultString: "TypeError: add(a, b) takes two numbers",
    });
    expect(faultFor(new DivisionByZeroError()), "the error's name travels in the text").toEqual({
      faultCode: FaultCode.applicationError,
      faultString: "DivisionByZeroError: division by zero",
    });
  });

  it("turns a fault back into an RpcError a caller can branch on", () => {
    const ours = new XmlRpcFault({
      faultCode: FaultCode.applicationError,
      faultString: "DivisionByZeroError: division by zero",
    });
    expect(ours).toBeInstanceOf(RpcError);
    expect(ours).toMatchObject({
      code: "remote_error",
      remoteName: "DivisionByZeroError",
      message: "division by zero",
      faultCode: -32500,
    });
    const python = new XmlRpcFault({
      faultCode: 1,
      faultString: "<class 'ZeroDivisionError'>:division by zero",
    });
    expect(python, "Python's SimpleXMLRPCServer writes <class '...'>:message").toMatchObject({
      code: "remote_error",
      remoteName: "ZeroDivisionError",
      message: "division by zero",
    });
    expect(new XmlRpcFault({ faultCode: -32601, faultString: "no" }).code).toBe("unknown_method");
    expect(new XmlRpcFault({ faultCode: -32602, faultString: "no" }).code).toBe("invalid_argument");
    expect(new XmlRpcFault({ faultCode: -32700, faultString: "no" }).code).toBe("bad_message");
  });
});
