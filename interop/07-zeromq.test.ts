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
import { pull, ZeroRpcPusher } from "../solutions/07-zeromq/pubsub.js";
import { serveZeroRpc, type ZeroRpcServer } from "../solutions/07-zeromq/server.js";

// zerorpc's own Python package is not in Debian; pyzmq and msgpack are. So the peers are
// zerorpc written by hand in Python from its protocol document and sources: a client that
// checks our server's replies byte for byte, and a server that our client calls.

const PEER = { modules: ["zmq", "msgpack"], debianPackage: "python3-zmq python3-msgpack" };
const script = (name: string) => readFileSync(new URL(name, import.meta.url), "utf8");

const service = {
  ...calculator,
  echo: (value: unknown) => value,
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
    "int map keys",
    "garbage, then a good call",
    "many clients, many calls in flight",
    "server heartbeat",
  ])("%s: every reply event is what zerorpc-python would send", (scenario) => {
    const report = reports.get(scenario);
    expect(report, `the Python client did not report "${scenario}"`).toBeDefined();
    expect(report!.ok, String(report!.detail)).toBe(true);
  });
});

describe("lesson 7: our zerorpc client and msgpack's default strict_map_key", () => {
  // zerorpc-python 0.6 with msgpack >= 1.0 reads every event with strict_map_key=True: a map
  // key that is not a str or bytes makes it drop the whole request.
  let peer: PythonServer;

  beforeAll(async () => {
    requirePython(PEER);
    peer = await startPython(script("./07-zerorpc-server.py"), ["0.1", "strict"]);
  });

  afterAll(async () => {
    await peer?.stop();
  });

  it("refuses a Map with an int key before sending, and sends string keys that Python reads", async () => {
    const client = ZeroRpcClient.connect(peer.ready, { heartbeatMs: 100, timeoutMs: 5_000 });
    try {
      await expect(client.call("key_types", [new Map([[1, "a"]])])).rejects.toMatchObject({
        code: "invalid_argument",
        message: expect.stringContaining("strict_map_key"),
      });
      await expect(client.call("key_types", [{ 1: "a" }])).resolves.toEqual(["str"]);
      await expect(client.call("key_types", [new Map([["1", "a"]])])).resolves.toEqual(["str"]);
      await expect(
        client.call("refused", []),
        "nothing reached Python unreadable",
      ).resolves.toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('with mapKeys: "any", sends the int key, and Python\'s default reader refuses the call', async () => {
    const client = ZeroRpcClient.connect(peer.ready, {
      heartbeatMs: 100,
      timeoutMs: 5_000,
      mapKeys: "any",
    });
    try {
      // No reply and no heartbeat on that channel: the client calls the server lost.
      await expect(client.call("key_types", [new Map([[1, "a"]])])).rejects.toMatchObject({
        code: "unavailable",
      });
      const refused = (await client.call("refused", [])) as string[];
      expect(refused.join("\n")).toMatch(/int is not allowed for map key when strict_map_key=True/);
    } finally {
      await client.close();
    }
  });
});

describe("lesson 7: our zerorpc client, calling a Python zerorpc server", () => {
  let peer: PythonServer;
  let client: ZeroRpcClient;

  beforeAll(async () => {
    requirePython(PEER);
    peer = await startPython(script("./07-zerorpc-server.py"), ["0.1"]);
    // This peer reads with strict_map_key=False, so it may be sent int keys.
    client = ZeroRpcClient.connect(peer.ready, {
      heartbeatMs: 100,
      timeoutMs: 5_000,
      mapKeys: "any",
    });
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

  it("gets a dict with int keys as a Map with number keys, and sends a Map back with int keys", async () => {
    const value = await client.call("int_keys", []);
    expect(value, "a map whose keys are not strings is a Map").toBeInstanceOf(Map);
    expect([...(value as Map<unknown, unknown>)]).toEqual([
      [1, "a"],
      [2, "b"],
    ]);
    await expect(client.call("key_types", [value]), "Python sees int keys").resolves.toEqual([
      "int",
      "int",
    ]);
  });

  it("keeps a slow call alive with heartbeats both ways", async () => {
    const before = (await client.call("heartbeats_received", [])) as number;
    await expect(client.call("slow", [0.6])).resolves.toBe("done");
    const after = (await client.call("heartbeats_received", [])) as number;
    expect(after - before, "our client heartbeats its open call").toBeGreaterThan(0);
  });
});

describe("lesson 7: our Pusher and Puller, with a Python PUSH and PULL", () => {
  const closers: (() => Promise<void>)[] = [];

  beforeAll(() => requirePython(PEER));

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  it("calls what a Python PUSH socket sends, once each, and logs what it cannot use", async () => {
    // Python PUSH ──add, garbage, power, _private, key_types, hello──▶ our puller (binds)
    const calls: unknown[][] = [];
    const log: string[] = [];
    let done = () => {};
    const last = new Promise<void>((resolve) => (done = resolve));
    const puller = await pull(
      {
        add: (a: number, b: number) => void calls.push(["add", a, b]),
        key_types: (map: unknown) => void calls.push(["key_types", map]),
        hello: (name: string) => {
          calls.push(["hello", name]);
          done();
        },
        _private: () => void calls.push(["_private"]),
      },
      { endpoint: "tcp://127.0.0.1:*", bind: true, log: (line) => log.push(line) },
    );
    closers.push(() => puller.close());
    await runPython(script("./07-zerorpc-push-pull.py"), ["push", puller.endpoint]);
    await last;
    expect(calls).toEqual([
      ["add", 1, 2],
      [
        "key_types",
        new Map([
          [1, "a"],
          [2, "b"],
        ]),
      ],
      ["hello", "Python"],
    ]);
    expect(log.length, log.join("\n")).toBe(3); // not msgpack, power, _private
  });

  it("pushes events a Python PULL socket reads as zerorpc-python's, byte for byte", async () => {
    // our pusher (binds) ──add(11, 33), hello("Python"), echo({1: "a"})──▶ Python PULL
    const pusher = new ZeroRpcPusher();
    closers.push(() => pusher.close());
    const endpoint = await pusher.bind();
    // Pushed before Python connects: they wait for it.
    const pushed = [
      pusher.push("add", [11, 33]),
      pusher.push("hello", ["Python"]),
      pusher.push("echo", [new Map([[1, "a"]])]),
    ];
    const output = await runPython(script("./07-zerorpc-push-pull.py"), ["pull", endpoint, "3"]);
    await Promise.all(pushed);
    const events = output
      .trim()
      .split("\n")
      .map(
        (line) => JSON.parse(line) as { name: string; args: string; ok: boolean; detail: string },
      );
    for (const event of events) expect(event.ok, event.detail).toBe(true);
    expect(events.map(({ name, args }) => [name, args])).toEqual([
      ["add", "[11, 33]"],
      ["hello", "['Python']"],
      ["echo", "[{1: 'a'}]"],
    ]);
  });
});
