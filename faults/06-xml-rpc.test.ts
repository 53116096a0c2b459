import {
  expectCallerLetInPastSilentSockets,
  sendRaw,
  silentSockets,
  uploadChunked,
  uploadDeclared,
} from "./raw-http.js";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { XmlRpcClient } from "../solutions/06-xml-rpc/client.js";
import { FaultCode } from "../solutions/06-xml-rpc/faults.js";
import { decodeResponse } from "../solutions/06-xml-rpc/messages.js";
import { serveXmlRpc, type RunningXmlRpcServer } from "../solutions/06-xml-rpc/server.js";
import { calculator } from "../shared/calculator.js";

// Lesson 6's reference server under attack. After every attack, a fresh client (its own
// connection) must still get 1 + 2 = 3. Traffic stays on 127.0.0.1; every loop is bounded.

let server: RunningXmlRpcServer;

beforeAll(async () => {
  server = await serveXmlRpc({
    ...calculator,
    fail() {
      throw new Error("it failed");
    },
  });
});
afterAll(() => server?.close());

async function expectGoodCall(): Promise<void> {
  const client = new XmlRpcClient(server.url);
  try {
    await expect(client.call("add", [1, 2]), "a fresh client after the attack").resolves.toBe(3);
  } finally {
    client.close();
  }
}

/** POSTs an XML document and returns the fault it earns (the test fails on a result). */
async function faultFor(xml: string): Promise<{ faultCode: number; faultString: string }> {
  const body = Buffer.from(xml, "utf8");
  const raw = await sendRaw(
    server.port,
    "POST /RPC2 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n" +
      `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    body,
    1,
  );
  expect(raw.text, "a fault is HTTP 200").toMatch(/^HTTP\/1\.1 200 /);
  const reply = decodeResponse(raw.text.slice(raw.text.indexOf("\r\n\r\n") + 4));
  if (reply.ok) expect.unreachable(`expected a fault, got ${JSON.stringify(reply.value)}`);
  return reply.fault;
}

const call = (method: string, ...values: string[]) =>
  `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>` +
  values.map((value) => `<param><value>${value}</value></param>`).join("") +
  "</params></methodCall>";

describe("lesson 6: XML-RPC server faults", () => {
  it("answers malformed XML with a parse error", async () => {
    const fault = await faultFor("<methodCall><methodName>add</methodName><params>");
    expect(fault.faultCode).toBe(FaultCode.parseError);
    await expectGoodCall();
  });

  it("answers a DOCTYPE, billion laughs and an external entity with a parse error", async () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;">]>' +
      call("hello", "<string>&b;</string>");
    expect((await faultFor(laughs)).faultCode).toBe(FaultCode.parseError);
    const xxe = `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${call("hello", "&e;")}`;
    const fault = await faultFor(xxe);
    expect(fault.faultCode).toBe(FaultCode.parseError);
    expect(fault.faultString).not.toMatch(/root:/);
    expect((await faultFor(call("hello", "&e;"))).faultString).toMatch(/unknown entity/);
    await expectGoodCall();
  });

  it("answers values nested 20,000 deep with a parse error", async () => {
    const open = "<value><array><data>".repeat(20_000);
    const close = "</data></array></value>".repeat(20_000);
    const xml = `<methodCall><methodName>add</methodName><params><param>${open}${close}</param></params></methodCall>`;
    const fault = await faultFor(xml);
    expect(fault.faultCode).toBe(FaultCode.parseError);
    expect(fault.faultString).toMatch(/deeper than/);
    await expectGoodCall();
  });

  it("reads a <double> with 300,000 spaces inside, or 300,000 digits, in linear time", async () => {
    // A quadratic trim or number pattern would block the event loop for minutes.
    const spaces = " ".repeat(300_000);
    const padded = await faultFor(call("add", `<double>1${spaces}2</double>`, "<int>1</int>"));
    expect(padded.faultCode).toBe(FaultCode.invalidRequest);
    const digits = await faultFor(call("add", `<double>${"1".repeat(300_000)}x</double>`));
    expect(digits.faultCode).toBe(FaultCode.invalidRequest);
    await expectGoodCall();
  });

  it.each([
    ["an int", call("add", `<int>${"9".repeat(200_000)}x</int>`, "<int>1</int>")],
    ["a double", call("add", `<double>${"9".repeat(200_000)}x</double>`)],
    ["a boolean", call("add", `<boolean>${"9".repeat(200_000)}</boolean>`)],
    ["a date", call("add", `<dateTime.iso8601>${"9".repeat(200_000)}</dateTime.iso8601>`)],
    ["a type name", call("add", `<${"t".repeat(200_000)}>1</${"t".repeat(200_000)}>`)],
    ["an entity", call("add", `<string>&${"e".repeat(200_000)};</string>`)],
    ["a method name", call("m".repeat(200_000))],
    ["a method name that is not one", call(`${"m".repeat(200_000)}!`)],
  ])("quotes at most a short piece of a 200 kB value in a fault: %s", async (_what, xml) => {
    const fault = await faultFor(xml);
    expect(fault.faultString.length, fault.faultString.slice(0, 80)).toBeLessThan(300);
    await expectGoodCall();
  });

  it("refuses a multicall of 30,000 junk entries with one short fault", async () => {
    const entries = "<value><int>1</int></value>".repeat(30_000);
    const fault = await faultFor(
      call("system.multicall", `<array><data>${entries}</data></array>`),
    );
    expect(fault.faultCode).toBe(FaultCode.invalidParams);
    expect(fault.faultString).toMatch(/at most \d+ calls, got 30000/);
    await expectGoodCall();
  });

  it("answers a declared 50 MB upload with 413, even to a client that sends it all first", async () => {
    const raw = await uploadDeclared(server.port, "/RPC2", "text/xml", 50 * 1024 * 1024);
    expect(raw.error, "the client must be able to finish sending, then read the 413").toBe(
      undefined,
    );
    expect(raw.text).toMatch(/^HTTP\/1\.1 413 /);
    await expectGoodCall();
  });

  it("answers a chunked body over the limit with 413", async () => {
    // 2 MiB, twice the default limit
    const raw = await uploadChunked(server.port, "/RPC2", "text/xml", 2 * 1024 * 1024);
    expect(raw.text).toMatch(/^HTTP\/1\.1 413 /);
    await expectGoodCall();
  });

  it("keeps serving while bodies arrive half-sent and connections sit idle", async () => {
    const stalled = Array.from({ length: 50 }, (_, i) => {
      const socket = connect(server.port, "127.0.0.1");
      socket.on("error", () => {});
      if (i % 2 === 0) {
        socket.write(
          "POST /RPC2 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n" +
            "Content-Length: 1000\r\n\r\n<methodCall><methodName>add",
        );
      }
      return socket;
    });
    try {
      await Promise.all(stalled.map((s) => new Promise((resolve) => s.once("connect", resolve))));
      await expectGoodCall();
    } finally {
      for (const socket of stalled) socket.destroy();
    }
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty", "power"])(
    "answers the method %s with method-not-found",
    async (method) => {
      expect((await faultFor(call(method))).faultCode).toBe(FaultCode.methodNotFound);
      await expectGoodCall();
    },
  );

  it("sends no stack trace and no file path with a method's error", async () => {
    const fault = await faultFor(call("fail"));
    expect(fault).toEqual({
      faultCode: FaultCode.applicationError,
      faultString: "Error: it failed",
    });
    await expectGoodCall();
  });

  it("lets a caller in at maxConnections by closing the oldest socket that never sent a byte", async () => {
    const own = await serveXmlRpc(calculator, { maxConnections: 20 });
    await expectCallerLetInPastSilentSockets(own, async () => {
      const client = new XmlRpcClient(own.url);
      try {
        return await client.call("add", [1, 2]);
      } finally {
        client.close();
      }
    });
  });

  it("closes a socket that never sends a byte after idleTimeoutMs", async () => {
    const own = await serveXmlRpc(calculator, { idleTimeoutMs: 200 });
    const silent = await silentSockets(own.port, 5);
    await silent.allClosed();
    await own.close();
  });
});
