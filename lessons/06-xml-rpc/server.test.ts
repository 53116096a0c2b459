import { request } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calculator } from "../../shared/calculator.js";
import { listenOnFreePort, type RunningServer } from "../../shared/testing/servers.js";
import { Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import { FaultCode } from "./faults.js";
import { decodeResponse, encodeCall } from "./messages.js";
import { createXmlRpcServer } from "./server.js";

interface Reply {
  status: number;
  contentType: string | undefined;
  text: string;
}

/** One raw HTTP request on a connection of its own, so each case stands alone. */
function post(
  server: RunningServer,
  body: string | Buffer,
  {
    path = "/RPC2",
    method = "POST",
    headers = { "Content-Type": "text/xml" } as Record<string, string>,
    chunked = false,
  } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: server.host,
        port: server.port,
        path,
        method,
        agent: false,
        headers: chunked ? headers : { ...headers, "Content-Length": Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode!,
            contentType: res.headers["content-type"],
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Posts a methodCall and expects a fault with this code. */
async function expectFault(server: RunningServer, body: string, faultCode: number, text?: RegExp) {
  const reply = await post(server, body);
  expect(reply.status, "a fault is still HTTP 200, as the specification says").toBe(200);
  const decoded = decodeResponse(reply.text);
  expect(decoded.ok, `expected a fault, got ${reply.text}`).toBe(false);
  if (!decoded.ok) {
    expect(decoded.fault.faultCode, decoded.fault.faultString).toBe(faultCode);
    if (text) expect(decoded.fault.faultString).toMatch(text);
  }
}

async function callOk(server: RunningServer, method: string, params: unknown[]): Promise<unknown> {
  const reply = await post(server, encodeCall(method, params));
  expect(reply.status).toBe(200);
  expect(reply.contentType).toMatch(/^text\/xml/);
  const decoded = decodeResponse(reply.text);
  if (!decoded.ok) expect.unreachable(`${method} faulted: ${decoded.fault.faultString}`);
  return decoded.value;
}

describe("task 5: serve over HTTP", () => {
  let server: RunningServer;
  beforeAll(async () => {
    const service = { ...calculator, echo: (...args: unknown[]) => args, nothing: () => undefined };
    server = await listenOnFreePort(createXmlRpcServer(service, { maxBodyBytes: 4096 }));
  });
  afterAll(() => server.close());

  it("answers a methodCall posted to /RPC2 with a methodResponse", async () => {
    expect(await callOk(server, "add", [1, 2])).toBe(3);
    expect(await callOk(server, "subtract", [5, 3]), "argument order survives the wire").toBe(2);
    expect(await callOk(server, "hello", ["Ada"])).toBe("Hello, Ada!");
    expect(await callOk(server, "nothing", []), "undefined goes back as <nil/>").toBeNull();
  });

  it("sends every type back as it came", async () => {
    const values = [7, 2.5, "a < b & c", true, null, new Date("1998-07-17T14:08:55Z")];
    const more = [new Uint8Array([0, 1, 255]), [1, [2]], { name: "Ada", born: 1815 }];
    expect(await callOk(server, "echo", [...values, ...more])).toEqual([...values, ...more]);
  });

  it("answers a thrown error with a fault that names it", async () => {
    await expectFault(
      server,
      encodeCall("divide", [1, 0]),
      FaultCode.applicationError,
      /^DivisionByZeroError: division by zero$/,
    );
    await expectFault(server, encodeCall("add", ["1", 2]), FaultCode.invalidParams, /TypeError/);
  });

  it("answers unknown and inherited method names with method-not-found", async () => {
    for (const name of ["power", "__proto__", "constructor", "toString"]) {
      await expectFault(server, encodeCall(name, []), FaultCode.methodNotFound, /no method/);
    }
  });

  it("answers a DOCTYPE, an entity or malformed XML with a parse error, never an expansion", async () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>' +
      "<methodCall><methodName>hello</methodName><params><param><value>&b;</value></param></params></methodCall>";
    await expectFault(server, laughs, FaultCode.parseError, /DOCTYPE/);
    await expectFault(
      server,
      "<methodCall><methodName>hello</methodName><params><param><value>&xxe;</value></param></params></methodCall>",
      FaultCode.parseError,
      /xxe/,
    );
    await expectFault(server, "<methodCall><methodName>add", FaultCode.parseError);
    await expectFault(server, '{"method": "add"}', FaultCode.parseError);
  });

  it("answers nesting deeper than the limit with a parse error", async () => {
    const depth = 60; // 180 elements deep, in 2.5 KB: under the size limit, over the depth limit
    const deep =
      "<methodCall><methodName>echo</methodName><params><param>" +
      "<value><array><data>".repeat(depth) +
      "</data></array></value>".repeat(depth) +
      "</param></params></methodCall>";
    await expectFault(server, deep, FaultCode.parseError, /deeper/);
  });

  it("answers an int out of 32-bit range and other bad values with invalid-request", async () => {
    const call = (value: string) =>
      `<methodCall><methodName>echo</methodName><params><param><value>${value}</value></param></params></methodCall>`;
    await expectFault(server, call("<int>2147483648</int>"), FaultCode.invalidRequest, /range/);
    await expectFault(server, call("<boolean>yes</boolean>"), FaultCode.invalidRequest);
    await expectFault(server, "<methodResponse/>", FaultCode.invalidRequest);
  });

  it("answers a body that is not UTF-8 with a parse error", async () => {
    const latin1 = Buffer.from(encodeCall("hello", ["Zoë"]), "latin1");
    const reply = await post(server, latin1);
    const decoded = decodeResponse(reply.text);
    expect(decoded.ok === false && decoded.fault.faultCode).toBe(FaultCode.parseError);
  });

  it("answers a result XML-RPC cannot carry with an internal-error fault", async () => {
    await expectFault(
      server,
      encodeCall("multiply", [1e308, 10]),
      FaultCode.internalError,
      /Infinity/,
    );
  });

  it("refuses a wrong content type, path or verb with a 4xx", async () => {
    const call = encodeCall("add", [1, 2]);
    const json = await post(server, call, { headers: { "Content-Type": "application/json" } });
    expect(json.status, "XML-RPC is text/xml").toBe(415);
    expect(json.text).toMatch(/text\/xml/);
    expect((await post(server, call, { headers: {} })).status).toBe(415);
    expect((await post(server, call, { path: "/elsewhere" })).status).toBe(404);
    expect((await post(server, "", { method: "GET" })).status).toBe(405);
  });

  it("refuses a body over the size limit with 413, declared or not", async () => {
    const big = encodeCall("hello", ["x".repeat(5000)]);
    const declared = await post(server, big);
    expect(declared.status, "the body is over maxBodyBytes (4096)").toBe(413);
    const streamed = await post(server, big, { chunked: true });
    expect(streamed.status, "a chunked body has no Content-Length: count as it arrives").toBe(413);
  });

  it("lets a client that sends a refused body whole read its 413", async () => {
    // Python's xmlrpc.client sends the whole body before it reads a reply. If the server
    // closed the connection on it, the client would get a broken pipe, not the 413.
    const reply = await new Promise<{ text: string; error?: string }>((resolve) => {
      const socket = connect(server.port, server.host);
      let text = "";
      let error: string | undefined;
      socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
      socket.on("error", (reason: NodeJS.ErrnoException) => (error = reason.code));
      socket.on("close", () => resolve({ text, error }));
      // Far more than the 4 KiB limit and the socket buffers: a server that closed early would
      // leave most of it unread, and the client would see a reset instead of the 413.
      const total = 1024 * 1024;
      socket.write(
        "POST /RPC2 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n" +
          `Content-Length: ${total}\r\nConnection: close\r\n\r\n`,
      );
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < total) {
          sent += chunk.length;
          if (!socket.write(chunk)) return void socket.once("drain", pump);
        }
      };
      pump();
    });
    expect(reply.error, "read the rest of the body and drop it (discardRefusedBody)").toBe(
      undefined,
    );
    expect(reply.text).toMatch(/^HTTP\/1\.1 413 /);
  });

  it("keeps serving after every bad request, and after a client that hangs up mid-body", async () => {
    await new Promise<void>((resolve) => {
      const req = request({
        host: server.host,
        port: server.port,
        path: "/RPC2",
        method: "POST",
        agent: false,
        headers: { "Content-Type": "text/xml", "Content-Length": 1000 },
      });
      req.on("error", () => resolve());
      req.write("<methodCall><methodName>add", () => {
        req.destroy();
        resolve();
      });
    });
    expect(await callOk(server, "add", [20, 22])).toBe(42);
  });

  it("does not let a slow call hold up other clients", async () => {
    // Client A calls wait(), which returns only once client B has called release().
    // A server that ran one call at a time (like Python's SimpleXMLRPCServer) would never
    // read B's request while A's call is running, and this test would time out.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const slow = await listenOnFreePort(
      createXmlRpcServer({
        wait: async () => {
          await released;
          return "waited";
        },
        release: () => {
          release();
          return "released";
        },
      }),
    );
    try {
      const a = callOk(slow, "wait", []);
      expect(await callOk(slow, "release", [])).toBe("released");
      expect(await a).toBe("waited");
    } finally {
      release();
      await slow.close();
    }
  });

  it("serves a Registry as well as a plain service object", async () => {
    const registry = new Registry().register("twice", (n: number) => n * 2);
    const other = await listenOnFreePort(createXmlRpcServer(registry));
    try {
      expect(await callOk(other, "twice", [21])).toBe(42);
    } finally {
      await other.close();
    }
  });
});

describe("task 6: introspection and multicall", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await listenOnFreePort(
      createXmlRpcServer(calculator, {
        docs: { add: { help: "Adds two numbers.", signatures: [["double", "double", "double"]] } },
      }),
    );
  });
  afterAll(() => server.close());

  it("lists every method, system.* included, and nothing inherited", async () => {
    expect(await callOk(server, "system.listMethods", [])).toEqual([
      "add",
      "divide",
      "hello",
      "multiply",
      "subtract",
      "system.listMethods",
      "system.methodHelp",
      "system.methodSignature",
      "system.multicall",
    ]);
  });

  it("answers system.methodHelp and system.methodSignature from the docs", async () => {
    expect(await callOk(server, "system.methodHelp", ["add"])).toBe("Adds two numbers.");
    expect(await callOk(server, "system.methodHelp", ["hello"]), "no help is an empty string").toBe(
      "",
    );
    expect(await callOk(server, "system.methodSignature", ["add"])).toEqual([
      ["double", "double", "double"],
    ]);
    expect(
      await callOk(server, "system.methodSignature", ["hello"]),
      'no known signature is the string "undef"',
    ).toBe("undef");
    expect(await callOk(server, "system.methodHelp", ["system.multicall"])).toMatch(/order/);
    await expectFault(server, encodeCall("system.methodHelp", ["power"]), FaultCode.methodNotFound);
    await expectFault(
      server,
      encodeCall("system.methodHelp", ["constructor"]),
      FaultCode.methodNotFound,
    );
  });

  it("runs a multicall in order: [result] for each success, a fault struct for each failure", async () => {
    const results = await callOk(server, "system.multicall", [
      [
        { methodName: "add", params: [1, 2] },
        { methodName: "divide", params: [1, 0] },
        { methodName: "power", params: [] },
        { methodName: "hello", params: ["Ada"] },
        { nonsense: true },
      ],
    ]);
    expect(results).toEqual([
      [3],
      {
        faultCode: FaultCode.applicationError,
        faultString: "DivisionByZeroError: division by zero",
      },
      { faultCode: FaultCode.methodNotFound, faultString: 'no method named "power"' },
      ["Hello, Ada!"],
      { faultCode: FaultCode.invalidParams, faultString: expect.stringMatching(/methodName/) },
    ]);
  });

  it("refuses a multicall longer than maxMulticallLength whole, running none of it", async () => {
    const ran: number[] = [];
    const small = await listenOnFreePort(
      createXmlRpcServer({ note: (n: number) => void ran.push(n) }, { maxMulticallLength: 3 }),
    );
    try {
      const calls = [1, 2, 3, 4].map((n) => ({ methodName: "note", params: [n] }));
      await expectFault(
        small,
        encodeCall("system.multicall", [calls]),
        FaultCode.invalidParams,
        /at most 3/,
      );
      expect(ran, "a refused multicall runs nothing").toEqual([]);
      expect(await callOk(small, "system.multicall", [calls.slice(0, 3)])).toHaveLength(3);
    } finally {
      await small.close();
    }
  });

  it("refuses a nested multicall and a multicall that is not an array", async () => {
    const nested = await callOk(server, "system.multicall", [
      [{ methodName: "system.multicall", params: [[]] }],
    ]);
    expect(nested).toEqual([
      { faultCode: FaultCode.invalidParams, faultString: expect.stringMatching(/nested/) },
    ]);
    await expectFault(server, encodeCall("system.multicall", ["add"]), FaultCode.invalidParams);
  });
});
