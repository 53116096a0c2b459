import { afterEach, describe, expect, it } from "vitest";
import { calculator, type Calculator } from "../../shared/calculator.js";
import { ZeroRpcClient, type ClientOptions } from "./client.js";
import { gate, RawServer, requireEvents } from "./raw-peers.js";
import { serveZeroRpc } from "./server.js";

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function connect(service: object = calculator, options: ClientOptions = {}) {
  requireEvents();
  const server = await serveZeroRpc(service);
  cleanup.push(() => server.close());
  const client = ZeroRpcClient.connect(server.endpoint, { timeoutMs: 3_000, ...options });
  cleanup.push(() => client.close());
  return client;
}

describe("task 5: a zerorpc client", () => {
  it("calls methods and gets their results", async () => {
    const client = await connect();
    await expect(client.call("add", [11, 33])).resolves.toBe(44);
    await expect(client.call("hello", ["RPC"])).resolves.toBe("Hello, RPC!");
  });

  it("sends zerorpc events a real server understands", async () => {
    requireEvents();
    const peer = new RawServer();
    cleanup.push(() => peer.close());
    const client = ZeroRpcClient.connect(await peer.bind(), { timeoutMs: 3_000 });
    cleanup.push(() => client.close());

    const pending = client.call("add", [11, 33]);
    const { identity, event } = await peer.receive();
    const [header, name, args] = event;
    expect([name, args]).toEqual(["add", [11, 33]]);
    expect(header.v, "protocol version 3").toBe(3);
    expect(header.message_id, "a fresh message_id opens the channel").toBeTruthy();
    expect(header, "a call opens a channel: no response_to").not.toHaveProperty("response_to");
    await peer.reply(
      identity,
      { message_id: "r", v: 3, response_to: header.message_id },
      "OK",
      [44],
    );
    await expect(pending).resolves.toBe(44);
  });

  it("makes remote calls look local through a stub", async () => {
    const calc = (await connect()).stub<Calculator>();
    await expect(calc.multiply(6, 7)).resolves.toBe(42);
    await expect(calc.subtract(3, 11), "argument order survives the trip").resolves.toBe(-8);
  });

  it("brings remote errors back as RpcError", async () => {
    const client = await connect();
    await expect(client.call("divide", [1, 0])).rejects.toMatchObject({
      code: "remote_error",
      remoteName: "DivisionByZeroError",
      message: "division by zero",
    });
    await expect(
      client.call("power", [2, 8]),
      "NameError means unknown_method",
    ).rejects.toMatchObject({ code: "unknown_method" });
  });

  it("keeps many calls in flight on one socket and matches every reply", async () => {
    const client = await connect();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => client.call("add", [i, 1000])),
    );
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i + 1000));
  });

  it("refuses a Map key Python's msgpack would refuse, unless told the peer reads it", async () => {
    const echo = { echo: (value: unknown) => value };
    const strict = await connect(echo);
    await expect(
      strict.call("echo", [new Map([[1, "a"]])]),
      "zerorpc-python drops the whole call: say so at once, do not wait for the deadline",
    ).rejects.toMatchObject({ code: "invalid_argument", message: /strict_map_key/ });
    await expect(strict.call("echo", [new Map([["1", "a"]])])).resolves.toEqual({ 1: "a" });
    const relaxed = await connect(echo, { mapKeys: "any" });
    await expect(relaxed.call("echo", [new Map([[1, "a"]])])).resolves.toEqual(new Map([[1, "a"]]));
  });

  it("lists the server's methods with inspect()", async () => {
    const inspection = await (await connect()).inspect();
    expect(Object.keys(inspection.methods)).toContain("hello");
    expect(inspection.methods.hello?.args).toEqual([{ name: "name" }]);
  });

  it("gives up at the deadline, ignores the late reply, and keeps working", async () => {
    const slow = gate();
    const client = await connect({ ...calculator, wait: () => slow.promise });
    await expect(client.call("wait", [], { timeoutMs: 10 })).rejects.toMatchObject({
      code: "deadline_exceeded",
    });
    slow.open();
    await expect(client.call("add", [1, 1])).resolves.toBe(2);
  });

  it("cancels a call when its AbortSignal fires", async () => {
    const slow = gate();
    const client = await connect({ ...calculator, wait: () => slow.promise });
    const controller = new AbortController();
    const pending = client.call("wait", [], { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "canceled" });
    slow.open();
  });

  it("rejects calls in flight with unavailable when closed", async () => {
    const slow = gate();
    const client = await connect({ ...calculator, wait: () => slow.promise });
    const pending = client.call("wait", []);
    await client.close();
    await expect(pending).rejects.toMatchObject({ code: "unavailable" });
    await expect(client.call("add", [1, 2])).rejects.toMatchObject({ code: "unavailable" });
    slow.open();
  });
});
