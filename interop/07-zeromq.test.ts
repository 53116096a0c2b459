import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calculator } from "../shared/calculator.js";
import {
  requirePython,
  runPython,
  startPython,
  type PythonServer,
} from "../shared/testing/python.js";
import { ZeroRpcClient } from "../solutions/07-zeromq/client.js";
import { serveZeroRpc, type ZeroRpcServer } from "../solutions/07-zeromq/server.js";

// zerorpc's own Python package is not in Debian; pyzmq and msgpack are. So the peers are
// zerorpc written by hand in Python from its protocol document and sources: a client that
// checks our server's replies byte for byte, and a server that our client calls.

const PEER = { modules: ["zmq", "msgpack"], debianPackage: "python3-zmq python3-msgpack" };
const script = (name: string) => readFileSync(new URL(name, import.meta.url), "utf8");

const service = {
  ...calculator,
  *streaming_range(from: number, to: number, step: number) {
    for (let i = from; i < to; i += step) yield i;
  },
};

describe("lesson 7: our zerorpc server, called by a Python zerorpc client", () => {
  const servers: ZeroRpcServer[] = [];
  const reports = new Map<string, { ok: boolean; detail: unknown }>();

  beforeAll(async () => {
    requirePython(PEER);
    servers.push(await serveZeroRpc(service, { name: "calculator" }));
    servers.push(await serveZeroRpc(service, { name: "calculator", heartbeatMs: 100 }));
    const output = await runPython(script("./07-zerorpc-client.py"), [
      servers[0]!.endpoint,
      servers[1]!.endpoint,
    ]);
    for (const line of output.trim().split("\n")) {
      const { scenario, ...report } = JSON.parse(line) as {
        scenario: string;
        ok: boolean;
        detail: unknown;
      };
      reports.set(scenario, report);
    }
  });

  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  it.each([
    "add",
    "hello",
    "float",
    "remote error",
    "unknown method",
    "stream",
    "inspect",
    "garbage, then a good call",
    "many clients, many calls in flight",
    "server heartbeat",
  ])("%s: every reply event is what zerorpc-python would send", (scenario) => {
    const report = reports.get(scenario);
    expect(report, `the Python client did not report "${scenario}"`).toBeDefined();
    expect(report!.ok, String(report!.detail)).toBe(true);
  });
});

describe("lesson 7: our zerorpc client, calling a Python zerorpc server", () => {
  let peer: PythonServer;
  let client: ZeroRpcClient;

  beforeAll(async () => {
    requirePython(PEER);
    peer = await startPython(script("./07-zerorpc-server.py"), ["0.1"]);
    client = ZeroRpcClient.connect(peer.ready, { heartbeatMs: 100, timeoutMs: 5_000 });
  });

  afterAll(async () => {
    await client?.close();
    await peer?.stop();
  });

  it("calls methods and gets OK results", async () => {
    await expect(client.call("add", [11, 33])).resolves.toBe(44);
    await expect(client.call("hello", ["RPC"])).resolves.toBe("Hello, RPC!");
    await expect(client.call("divide", [1, 4])).resolves.toBe(0.25);
  });

  it("turns ERR into RpcError with Python's exception name", async () => {
    await expect(client.call("divide", [1, 0])).rejects.toMatchObject({
      code: "remote_error",
      remoteName: "ZeroDivisionError",
      message: "division by zero",
    });
    await expect(client.call("power", [2, 8])).rejects.toMatchObject({ code: "unknown_method" });
  });

  it("reads a long stream, granting _zpc_more as it goes", async () => {
    const items: unknown[] = [];
    for await (const item of client.stream("streaming_range", [0, 250, 1])) items.push(item);
    expect(items, "250 items need several grants of 100").toEqual(
      Array.from({ length: 250 }, (_, i) => i),
    );
  });

  it("keeps a slow call alive with heartbeats both ways", async () => {
    const before = (await client.call("heartbeats_received", [])) as number;
    await expect(client.call("slow", [0.6])).resolves.toBe("done");
    const after = (await client.call("heartbeats_received", [])) as number;
    expect(after - before, "our client heartbeats its open call").toBeGreaterThan(0);
  });
});
