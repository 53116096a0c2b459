import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JsonRpcClient } from "../solutions/05-json-rpc/client.js";
import { serveJsonRpc, type RunningJsonRpcServer } from "../solutions/05-json-rpc/server.js";
import { calculator } from "../shared/calculator.js";
import {
  requirePython,
  runPython,
  startPython,
  type PythonServer,
} from "../shared/testing/python.js";

// Lesson 5 against Python's jsonrpclib (Debian: python3-jsonrpclib-pelix), both ways:
//
//   jsonrpclib.ServerProxy ──HTTP──▶ serveJsonRpc (ours)
//   JsonRpcClient (ours)   ──HTTP──▶ PooledJSONRPCServer (jsonrpclib, with a thread pool)

const here = path.dirname(fileURLToPath(import.meta.url));
const script = (name: string) => readFileSync(path.join(here, name), "utf8");

beforeAll(() => {
  requirePython({ modules: ["jsonrpclib"], debianPackage: "python3-jsonrpclib-pelix" });
});

describe("jsonrpclib's ServerProxy calls our server", () => {
  let server: RunningJsonRpcServer;
  let seen: Record<string, any>;
  const noted: string[] = [];

  beforeAll(async () => {
    server = await serveJsonRpc({
      ...calculator,
      echo: (value: unknown) => value,
      note: (text: string) => void noted.push(text),
      noted: () => noted,
    });
    seen = JSON.parse(await runPython(script("05-jsonrpclib-client.py"), [server.url]));
  });
  afterAll(() => server?.close());

  it("gets results for positional and keyword arguments", () => {
    expect(seen.add).toBe(3);
    expect(seen.keywords, "subtract(b=3, a=5) arrives as named params").toBe(2);
    expect(seen.hello).toBe("Hello, 世界!");
    expect(seen.echo).toEqual({ list: [1, 2.5, null, true], text: "naïve" });
  });

  it("gets our error codes as ProtocolErrors", () => {
    expect(seen.divide).toEqual([-32000, "division by zero"]);
    expect(seen.unknown?.[0]).toBe(-32601);
    expect(seen.inherited?.[0], "constructor is not a method").toBe(-32601);
    expect(seen.bad_params?.[0]).toBe(-32602);
  });

  it("sends a MultiCall batch and reads our batch reply", () => {
    expect(seen.batch).toEqual([3, 42, "Hello, Ada!"]);
  });

  it("sends a notification that our server runs and answers with an empty 200", () => {
    expect(noted).toEqual(["from python"]);
    expect(seen.notify, "jsonrpclib accepts only a 200; a 204 raises TransportError").toBeNull();
  });

  it("makes the next call on the same ServerProxy after a notification", () => {
    expect(seen.noted).toEqual(["from python"]);
  });
});

describe("our client calls jsonrpclib's server", () => {
  let python: PythonServer;
  let client: JsonRpcClient;

  beforeAll(async () => {
    python = await startPython(script("05-jsonrpclib-server.py"));
    client = new JsonRpcClient(`http://127.0.0.1:${python.ready}/`);
  });
  afterAll(async () => {
    client?.close();
    await python?.stop();
  });

  it("calls with positional and named params", async () => {
    await expect(client.call("add", [1, 2])).resolves.toBe(3);
    await expect(client.call("subtract", { a: 5, b: 3 })).resolves.toBe(2);
    await expect(client.call("hello", ["世界"])).resolves.toBe("Hello, 世界!");
    const value = { list: [1, 2.5, null, true], nested: { text: "naïve" } };
    await expect(client.call("echo", [value])).resolves.toEqual(value);
  });

  it("calls through a stub", async () => {
    const calc = client.stub<{ add(a: number, b: number): number }>();
    await expect(calc.add(40, 2)).resolves.toBe(42);
  });

  it("reads jsonrpclib's errors", async () => {
    const zero = await client.call("divide", [1, 0]).catch((e: unknown) => e);
    expect(zero, "jsonrpclib reports an exception as -32603").toMatchObject({ code: "internal" });
    expect((zero as Error).message).toMatch(/ZeroDivisionError/);
    await expect(client.call("power", [2, 8])).rejects.toMatchObject({ code: "unknown_method" });
    await expect(client.call("add", [1])).rejects.toMatchObject({ code: "invalid_argument" });
  });

  it("sends a batch with a notification in it", async () => {
    const outcomes = await client.batch([
      { method: "add", params: [1, 2] },
      { method: "note", params: ["in a batch"], notification: true },
      { method: "power", params: [2, 8] },
    ]);
    expect(outcomes[0]).toEqual({ status: "fulfilled", value: 3 });
    expect(outcomes[1]).toEqual({ status: "fulfilled", value: undefined });
    expect(outcomes[2]).toMatchObject({ status: "rejected", reason: { code: "unknown_method" } });
  });

  it("sends notifications, which jsonrpclib answers with an empty 200", async () => {
    await client.notify("note", ["alone"]);
    const onlyNotes = await client.batch([
      { method: "note", params: ["first"], notification: true },
      { method: "note", params: ["second"], notification: true },
    ]);
    expect(onlyNotes).toHaveLength(2);
    const noted = (await client.call("noted")) as string[];
    expect(noted).toEqual(expect.arrayContaining(["in a batch", "alone", "first", "second"]));
  });

  it("makes many calls at once against the thread pool", async () => {
    const sums = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.call("add", [i, i])),
    );
    expect(sums).toEqual(Array.from({ length: 20 }, (_, i) => 2 * i));
  });
});
