import { createServer } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { calculator, type Calculator } from "../../shared/calculator.js";
import { RpcError } from "../../shared/rpc-error.js";
import { listenOnFreePort, type RunningServer } from "../../shared/testing/servers.js";
import { XmlRpcClient } from "./client.js";
import { XmlRpcFault } from "./faults.js";
import { createXmlRpcServer } from "./server.js";

const urlOf = (server: RunningServer, path = "/RPC2") =>
  `http://${server.host}:${server.port}${path}`;

describe("task 7: a client", () => {
  // wait() answers only when the test ends.
  const waiting = new Set<() => void>();
  let connections = 0;
  let server: RunningServer;
  let client: XmlRpcClient;

  beforeAll(async () => {
    const service = {
      ...calculator,
      echo: (...args: unknown[]) => args,
      wait: () => new Promise((resolve) => waiting.add(() => resolve("done"))),
    };
    const http = createXmlRpcServer(service);
    http.on("connection", () => (connections += 1));
    server = await listenOnFreePort(http);
    client = new XmlRpcClient(urlOf(server));
  });
  afterEach(() => {
    for (const release of waiting) release();
    waiting.clear();
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });

  it("calls a method and returns its result", async () => {
    await expect(client.call("add", [1, 2])).resolves.toBe(3);
    await expect(client.call("subtract", [5, 3])).resolves.toBe(2);
    await expect(client.call("hello", ["Ada"])).resolves.toBe("Hello, Ada!");
  });

  it("sends and receives every type", async () => {
    const values = [
      -5,
      0.1,
      "x < y & z\r\n",
      false,
      null,
      new Date("2024-02-29T12:00:00Z"),
      new Uint8Array([222, 173, 190, 239]),
      { nested: { list: [1, "two", [3]] }, ["__proto__"]: "an own member" },
    ];
    const echoed = (await client.call("echo", values)) as unknown[];
    expect(echoed).toEqual(values);
    expect(Object.keys(echoed.at(-1)!), "a member named __proto__ stays a member").toEqual([
      "nested",
      "__proto__",
    ]);
  });

  it("rejects with an XmlRpcFault, an RpcError, when the server answers a fault", async () => {
    const error = await client.call("divide", [1, 0]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toBeInstanceOf(XmlRpcFault);
    expect(error).toMatchObject({
      code: "remote_error",
      remoteName: "DivisionByZeroError",
      message: "division by zero",
    });
    await expect(client.call("power", [2, 3])).rejects.toMatchObject({ code: "unknown_method" });
    await expect(client.call("add", ["1", 2])).rejects.toMatchObject({ code: "invalid_argument" });
  });

  it("refuses to send what XML-RPC cannot carry, before sending anything", async () => {
    const before = connections;
    await expect(client.call("echo", [Number.NaN])).rejects.toMatchObject({
      code: "invalid_argument",
    });
    await expect(client.call("echo", [10n ** 12n])).rejects.toMatchObject({
      code: "invalid_argument",
    });
    expect(connections).toBe(before);
  });

  it("sends many calls in one request with multicall, each settled on its own", async () => {
    const results = await client.multicall([
      { method: "add", params: [1, 2] },
      { method: "divide", params: [1, 0] },
      { method: "hello", params: ["Ada"] },
    ]);
    expect(results[0]).toEqual({ status: "fulfilled", value: 3 });
    expect(results[1]).toMatchObject({
      status: "rejected",
      reason: { code: "remote_error", remoteName: "DivisionByZeroError" },
    });
    expect(results[2]).toEqual({ status: "fulfilled", value: "Hello, Ada!" });
  });

  it("makes remote calls look local through a stub", async () => {
    const calc = client.stub<Calculator>();
    await expect(calc.multiply(6, 7)).resolves.toBe(42);
    await expect(calc.divide(1, 0)).rejects.toMatchObject({ remoteName: "DivisionByZeroError" });
  });

  it("reuses one keep-alive connection for calls made one after another", async () => {
    const own = new XmlRpcClient(urlOf(server));
    try {
      await own.call("add", [0, 0]);
      const before = connections;
      for (let i = 0; i < 5; i++) await own.call("add", [i, i]);
      expect(connections - before, "use an http.Agent with keepAlive: true").toBe(0);
    } finally {
      own.close();
    }
  });

  it("runs calls concurrently", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.call("add", [i, 1])),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("gives up after timeoutMs with deadline_exceeded", async () => {
    await expect(client.call("wait", [], { timeoutMs: 50 })).rejects.toMatchObject({
      code: "deadline_exceeded",
    });
    await expect(client.call("add", [1, 1]), "the client still works").resolves.toBe(2);
  });

  it("gives up when its signal aborts, with canceled", async () => {
    const controller = new AbortController();
    const pending = client.call("wait", [], { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "canceled" });
    const aborted = AbortSignal.abort();
    await expect(client.call("add", [1, 1], { signal: aborted })).rejects.toMatchObject({
      code: "canceled",
    });
  });

  it("turns HTTP errors and replies that are not XML-RPC into clear RpcErrors", async () => {
    const wrongPath = new XmlRpcClient(urlOf(server, "/nowhere"));
    await expect(wrongPath.call("add", [1, 2])).rejects.toMatchObject({
      code: "bad_message",
      message: expect.stringMatching(/404/),
    });
    wrongPath.close();

    const liar = await listenOnFreePort(
      createServer((_req, res) => res.end(_req.url === "/big" ? "x".repeat(5000) : "<html>")),
    );
    const confused = new XmlRpcClient(urlOf(liar));
    const small = new XmlRpcClient(urlOf(liar, "/big"), { maxResponseBytes: 1000 });
    try {
      await expect(confused.call("add", [1, 2])).rejects.toMatchObject({ code: "bad_message" });
      await expect(small.call("add", [1, 2])).rejects.toMatchObject({ code: "too_large" });
    } finally {
      confused.close();
      small.close();
      await liar.close();
    }
  });

  it("says unavailable when no server listens", async () => {
    const gone = await listenOnFreePort(createServer());
    const url = urlOf(gone);
    await gone.close();
    const lonely = new XmlRpcClient(url);
    await expect(lonely.call("add", [1, 2])).rejects.toMatchObject({ code: "unavailable" });
    lonely.close();
  });
});
