import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calculator } from "../shared/calculator.js";
import {
  requirePython,
  runPython,
  startPython,
  type PythonServer,
} from "../shared/testing/python.js";
import { XmlRpcClient } from "../solutions/06-xml-rpc/client.js";
import { FaultCode } from "../solutions/06-xml-rpc/faults.js";
import { serveXmlRpc, type RunningXmlRpcServer } from "../solutions/06-xml-rpc/server.js";

// Lesson 6 against Python's standard library (/usr/bin/python3), both ways:
//
//   xmlrpc.client.ServerProxy ──HTTP──▶ serveXmlRpc (ours)
//   XmlRpcClient (ours)       ──HTTP──▶ SimpleXMLRPCServer(allow_none=True), plain and threaded

const here = path.dirname(fileURLToPath(import.meta.url));
const script = (name: string) => readFileSync(path.join(here, name), "utf8");

beforeAll(() => {
  requirePython({ modules: ["xmlrpc.client", "xmlrpc.server"], debianPackage: "python3" });
});

/** What our server saw, type by type: JavaScript's view of Python's values. */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (value instanceof Date) return `Date ${value.toISOString()}`;
  if (value instanceof Uint8Array) return `Uint8Array ${Buffer.from(value).toString("hex")}`;
  if (Array.isArray(value)) return `array of ${value.length}`;
  if (typeof value === "object") return `struct ${Object.keys(value).join(",")}`;
  return `${typeof value} ${String(value)}`;
}

describe("Python's xmlrpc.client.ServerProxy calls our server", () => {
  let server: RunningXmlRpcServer;
  let seen: Record<string, any>;

  beforeAll(async () => {
    let release!: (value: string) => void;
    const released = new Promise<string>((resolve) => (release = resolve));
    server = await serveXmlRpc(
      {
        ...calculator,
        echo: (...values: unknown[]) => values,
        kinds: (...values: unknown[]) => values.map(kindOf),
        wait: () => released,
        release: () => (release("waited"), "released"),
      },
      {
        docs: { add: { help: "add(a, b) → a + b", signatures: [["double", "double", "double"]] } },
      },
    );
    seen = JSON.parse(await runPython(script("06-xmlrpc-client.py"), [server.url]));
  });
  afterAll(() => server?.close());

  it("gets results, with the course's calculator semantics", () => {
    expect(seen.add).toBe(5);
    expect(seen.subtract, "ours is a − b; the article's Python class used |a − b|").toBe(-1);
    expect(seen.divide).toBe(0.5);
    expect(seen.hello).toBe("Hello, 世界 🌍!");
  });

  it("sends every type, and reads each back as the type it sent", () => {
    expect(seen.kinds).toEqual([
      "number 7",
      "number -2147483648",
      "number 2.5",
      "number 2",
      "boolean true",
      "string a < b & c > d",
      "null",
      "Date 1998-07-17T14:08:55.000Z",
      "Uint8Array 00ff6279746573",
      "array of 2",
      "struct name,born,__proto__",
    ]);
    expect(seen.echo).toEqual([
      "list",
      [
        ["int", 7],
        ["int", -(2 ** 31)],
        ["float", 2.5],
        // JavaScript has one number type: a whole float comes back as an <int>.
        ["int", 2],
        ["bool", true],
        ["str", "a < b & c > d"],
        ["None", null],
        ["datetime", "1998-07-17T14:08:55"],
        ["bytes", "00ff6279746573"],
        [
          "list",
          [
            ["int", 1],
            [
              "list",
              [
                ["int", 2],
                ["str", "three"],
              ],
            ],
          ],
        ],
        [
          "dict",
          { name: ["str", "Ada"], born: ["int", 1815], ["__proto__"]: ["str", "just a key"] },
        ],
      ],
    ]);
  });

  it("gets faults with our fault codes", () => {
    expect(seen.divide_by_zero).toEqual([
      FaultCode.applicationError,
      "DivisionByZeroError: division by zero",
    ]);
    expect(seen.unknown).toEqual([FaultCode.methodNotFound, 'no method named "power"']);
    expect(seen.inherited?.[0], "constructor is not a method").toBe(FaultCode.methodNotFound);
    expect(seen.bad_params?.[0]).toBe(FaultCode.invalidParams);
    expect(seen.doctype?.[0], "a DOCTYPE is a parse error, not an expansion").toBe(
      FaultCode.parseError,
    );
  });

  it("sends a MultiCall and reads one result or fault per call", () => {
    expect(seen.multicall).toEqual([
      [3],
      {
        faultCode: FaultCode.applicationError,
        faultString: "DivisionByZeroError: division by zero",
      },
      ["Hello, Ada!"],
    ]);
  });

  it("lists our methods and reads their help and signatures", () => {
    expect(seen.listMethods).toEqual([
      "add",
      "divide",
      "echo",
      "hello",
      "kinds",
      "multiply",
      "release",
      "subtract",
      "system.listMethods",
      "system.methodHelp",
      "system.methodSignature",
      "system.multicall",
      "wait",
    ]);
    expect(seen.methodHelp).toBe("add(a, b) → a + b");
    expect(seen.methodSignature).toEqual([["double", "double", "double"]]);
  });

  it("is served concurrently: one Python thread waits while another releases it", () => {
    expect(seen.concurrent).toEqual({ wait: "waited", release: "released" });
  });
});

describe("our client calls Python's SimpleXMLRPCServer", () => {
  let python: PythonServer;
  let client: XmlRpcClient;

  beforeAll(async () => {
    python = await startPython(script("06-xmlrpc-server.py"), ["threaded"]);
    client = new XmlRpcClient(`http://127.0.0.1:${python.ready}/RPC2`);
  });
  afterAll(async () => {
    client?.close();
    await python?.stop();
  });

  it("calls the article's calculate class", async () => {
    await expect(client.call("add", [2, 3])).resolves.toBe(5);
    await expect(client.call("multiply", [2, 3])).resolves.toBe(6);
    await expect(
      client.call("subtract", [2, 3]),
      "the article's subtract is |x − y|",
    ).resolves.toBe(1);
    await expect(client.call("divide", [2, 4])).resolves.toBe(0.5);
  });

  it("sends every type and gets it back from Python", async () => {
    const values = [
      7,
      -(2 ** 31),
      2.5,
      2 ** 31, // past <int>: a <double>, a float in Python, a number again here
      false,
      "x < y & z 世界",
      null,
      new Date("2024-02-29T12:34:56Z"),
      new Uint8Array([0, 1, 2, 253, 254, 255]),
      [1, ["two", [3]]],
      { name: "Ada", nested: { ok: true }, ["__proto__"]: "a key" },
      "",
      [],
      {},
    ];
    await expect(client.call("echo", values)).resolves.toEqual(values);
  });

  it("reads Python's faults as RpcErrors with the exception's name", async () => {
    await expect(client.call("divide", [1, 0])).rejects.toMatchObject({
      code: "remote_error",
      remoteName: "ZeroDivisionError",
      message: "division by zero",
      faultCode: 1,
    });
    await expect(client.call("power", [2, 3])).rejects.toMatchObject({
      code: "remote_error",
      faultString: expect.stringMatching(/power/),
    });
  });

  it("uses multicall and introspection against Python", async () => {
    const results = await client.multicall([
      { method: "add", params: [1, 2] },
      { method: "divide", params: [1, 0] },
      { method: "multiply", params: [6, 7] },
    ]);
    expect(results[0]).toEqual({ status: "fulfilled", value: 3 });
    expect(results[1]).toMatchObject({
      status: "rejected",
      reason: { remoteName: "ZeroDivisionError" },
    });
    expect(results[2]).toEqual({ status: "fulfilled", value: 42 });
    const names = await client.call("system.listMethods");
    expect(names).toEqual(expect.arrayContaining(["add", "divide", "system.multicall"]));
    await expect(client.call("system.methodHelp", ["add"])).resolves.toBe("add(x, y) -> x + y");
  });

  it("with ThreadingMixIn, serves a second call while the first one waits", async () => {
    const waiting = client.call("wait", [], { timeoutMs: 10_000 });
    await expect(client.call("release", [], { timeoutMs: 10_000 })).resolves.toBe("released");
    await expect(waiting, "wait() returns True once released").resolves.toBe(true);
  });
});

describe("the article's single-thread problem, on Python's plain SimpleXMLRPCServer", () => {
  let python: PythonServer;
  let client: XmlRpcClient;

  beforeAll(async () => {
    python = await startPython(script("06-xmlrpc-server.py"), ["single"]);
    client = new XmlRpcClient(`http://127.0.0.1:${python.ready}/RPC2`);
  });
  afterAll(async () => {
    client?.close();
    await python?.stop();
  });

  it("cannot serve a second client while one call waits", async () => {
    // wait() blocks Python's only thread until release() — which that thread cannot read
    // until wait() has given up (after 3 s). Our release() call gives up first.
    const waiting = client.call("wait", [], { timeoutMs: 10_000 });
    await expect(client.call("release", [], { timeoutMs: 500 })).rejects.toMatchObject({
      code: "deadline_exceeded",
    });
    await expect(waiting, "wait() gave up: nobody could release it").resolves.toBe(false);
  });
});
