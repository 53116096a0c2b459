import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { uniqueName } from "../shared/broker/testing.js";
import { osloTransportUrl, useOsloTestbed } from "./oslo-testbed.js";
import { RpcError } from "../shared/rpc-error.js";
import { runPython, startPython, type PythonServer } from "../shared/testing/python.js";
import { calculatorEndpoint } from "../shared/oslo-calculator.js";
import { parseExactJson, stringifyExactJson } from "../shared/exact-json.js";
import { RpcClient } from "../solutions/09-amqp-rpc/rpc-client.js";
import { RpcServer } from "../solutions/09-amqp-rpc/rpc-server.js";
import type { Transport } from "../solutions/09-amqp-rpc/transport.js";

// Lesson 9 against Python's oslo.messaging (python3-oslo.messaging, rabbit driver), both ways.

const SERVER_PY = readFileSync(new URL("./fixtures-09/oslo_server.py", import.meta.url), "utf8");
const CLIENT_PY = readFileSync(new URL("./fixtures-09/oslo_client.py", import.meta.url), "utf8");

const { cleanups, transport } = useOsloTestbed();

async function pythonServer(topic: string, server: string): Promise<PythonServer> {
  const peer = await startPython(SERVER_PY, [osloTransportUrl(), topic, server]);
  cleanups.push(() => peer.stop());
  return peer;
}

async function ourServer(t: Transport, topic: string, server: string, extra: object[] = []) {
  const rpc = new RpcServer(t, { topic, server }, [
    { ...calculatorEndpoint, whoami: () => server, echo_context: (c: unknown) => c },
    ...extra,
  ]);
  await rpc.start();
  cleanups.push(async () => {
    await rpc.stop();
    await rpc.wait();
  });
  return rpc;
}

type Step = Record<string, unknown>;
type Outcome = { result?: unknown; error?: Record<string, string> };

/** Runs oslo_client.py with these steps; one outcome per step. */
async function pythonClient(
  topic: string,
  steps: Step[],
  allowed: string[] = [],
): Promise<Outcome[]> {
  const output = await runPython(
    CLIENT_PY,
    [osloTransportUrl(), topic, stringifyExactJson(steps), allowed.join(",")],
    {
      timeoutMs: 60_000,
    },
  );
  return output
    .trim()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => parseExactJson(line) as Outcome);
}

describe("a Python oslo.messaging client calls our server", () => {
  it("call, cast, context, targeted call and remote errors", async () => {
    const t = await transport();
    const topic = uniqueName("calc");
    const casts: unknown[] = [];
    await ourServer(t, topic, "ts1", [
      {
        remember: (_c: unknown, { value }: { value: unknown }) => void casts.push(value),
        recall: () => casts,
      },
    ]);
    const outcomes = await pythonClient(topic, [
      { op: "call", method: "add", args: { a: 1, b: 2 } },
      { op: "call", method: "hello", args: { name: "Ada" } },
      { op: "call", method: "echo_context", ctxt: { user: "ada", project: "p1" } },
      { op: "call", method: "whoami", server: "ts1" },
      { op: "cast", method: "remember", args: { value: 42 } },
      { op: "call", method: "recall" },
      { op: "call", method: "divide", args: { a: 1, b: 0 } },
      { op: "call", method: "power", args: { a: 2, b: 8 } },
      { op: "call", method: "add", args: { a: "1", b: 2 } },
    ]);
    expect(outcomes.slice(0, 6)).toEqual([
      { result: 3 },
      { result: "Hello, Ada!" },
      // As an oslo server's context: the caller's call-monitor timeout rides along (none: null).
      { result: { user: "ada", project: "p1", client_timeout: null } },
      { result: "ts1" },
      { result: null },
      { result: [42] },
    ]);
    expect(outcomes[6]!.error, "Python sees our error class by name").toMatchObject({
      class: "RemoteError",
      exc_type: "DivisionByZeroError",
      value: "division by zero",
    });
    expect(outcomes[7]!.error).toMatchObject({ class: "RemoteError", exc_type: "NoSuchMethod" });
    expect(outcomes[8]!.error, "a JS TypeError becomes Python's own TypeError").toMatchObject({
      class: "TypeError",
    });
  });

  it("an argument the method does not take is Python's TypeError, from our server as from oslo's", async () => {
    const t = await transport();
    const ours = uniqueName("calc");
    const theirs = uniqueName("calc");
    await ourServer(t, ours, "ts1");
    await pythonServer(theirs, "py1");
    const call = { op: "call", method: "add", args: { a: 1, b: 2, c: 3 } };
    const [fromOurs] = await pythonClient(ours, [call]);
    const [fromTheirs] = await pythonClient(theirs, [call]);
    expect(fromTheirs!.error, "what an oslo server answers").toMatchObject({ class: "TypeError" });
    expect(fromOurs!.error).toMatchObject({ class: "TypeError" });
    expect(fromOurs!.error!.message).toContain("add() got an unexpected keyword argument 'c'");
    expect(fromTheirs!.error!.message).toContain("unexpected keyword argument 'c'");
  });

  it("keeps a Python caller with call_monitor_timeout=2 waiting through a 5 s call", async () => {
    // oslo's call monitor: the caller gives up after 2 s of silence unless the server sends
    // `ending: false` heartbeats every second while the method runs.
    const t = await transport();
    const topic = uniqueName("calc");
    await ourServer(t, topic, "ts1", [
      {
        slow: async (context: { client_timeout?: unknown }, { seconds }: { seconds: number }) => {
          await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
          return { done: seconds, client_timeout: context.client_timeout };
        },
      },
    ]);
    const [outcome] = await pythonClient(topic, [
      { op: "call", method: "slow", args: { seconds: 5 }, timeout: 30, call_monitor_timeout: 2 },
    ]);
    expect(outcome).toEqual({ result: { done: 5, client_timeout: 2 } });
  });

  it("fanout from Python reaches our server beside a Python one", async () => {
    const t = await transport();
    const topic = uniqueName("calc");
    let received!: (args: unknown) => void;
    const got = new Promise((resolve) => (received = resolve));
    await ourServer(t, topic, "ts1", [
      { remember: (_c: unknown, args: unknown) => received(args) },
    ]);
    await pythonServer(topic, "py1");
    await pythonClient(topic, [
      { op: "cast", method: "remember", fanout: true, args: { value: 7 } },
    ]);
    await expect(got).resolves.toEqual({ value: 7 });
    // The Python server got its copy too.
    const [recall] = await pythonClient(topic, [{ op: "call", method: "recall", server: "py1" }]);
    expect(recall).toEqual({ result: [7] });
  });
});

describe("what a Python caller sees of our errors", () => {
  it("its own class for builtins and for a module it allows; RemoteError with exc_type otherwise", async () => {
    const t = await transport();
    const topic = uniqueName("calc");
    const raise = (name: string, module?: string) => () => {
      throw Object.assign(new Error(`${name} from node`), { name }, module ? { module } : {});
    };
    await ourServer(t, topic, "ts1", [
      {
        builtin: raise("ValueError"),
        plain: raise("QuotaExceeded"),
        allowed: raise("Empty", "queue"),
        notAllowed: raise("Empty", "some.module"),
      },
    ]);
    const outcomes = await pythonClient(
      topic,
      ["builtin", "plain", "allowed", "notAllowed"].map((method) => ({ op: "call", method })),
      ["queue"],
    );
    expect(outcomes[0]!.error, "builtins: Python's own ValueError").toMatchObject({
      class: "ValueError",
    });
    expect(outcomes[1]!.error, 'module "node": RemoteError, the class in exc_type').toMatchObject({
      class: "RemoteError",
      exc_type: "QuotaExceeded",
      value: "QuotaExceeded from node",
    });
    // oslo rebuilds the allowed module's class as a subclass named "<class>_Remote".
    expect(outcomes[2]!.error!.class, "an allowed module: its own class").toMatch(/^Empty/);
    expect(outcomes[2]!.error!.message).toContain("Empty from node");
    expect(outcomes[3]!.error, "a module it does not allow: RemoteError").toMatchObject({
      class: "RemoteError",
      exc_type: "Empty",
    });
  });
});

describe("integers past 2^53, both ways", () => {
  it("stay exact: a bigint here, an int in Python", async () => {
    const t = await transport();
    const topic = uniqueName("calc");
    await pythonServer(topic, "py1");
    const client = new RpcClient(t, { topic }, { timeoutMs: 10_000 });
    cleanups.push(() => client.close());
    await expect(client.call({}, "add", { a: 9007199254740993n, b: 1 })).resolves.toBe(
      9007199254740994n,
    );
    await client.cast({}, "remember", { value: [2n ** 64n + 1n, -(2n ** 63n) - 1n, 1.5] });
    await expect(client.call({}, "recall")).resolves.toEqual([
      [2n ** 64n + 1n, -(2n ** 63n) - 1n, 1.5],
    ]);

    const ours = uniqueName("calc");
    await ourServer(t, ours, "ts1", [
      { echo: (_c: unknown, { value }: { value: unknown }) => value },
    ]);
    const [echoed] = await pythonClient(ours, [
      { op: "call", method: "echo", args: { value: [9007199254740993n, 2n ** 70n] } },
    ]);
    expect(echoed).toEqual({ result: [9007199254740993n, 2n ** 70n] });
  });
});

describe("our client calls a Python oslo.messaging server", () => {
  it("call, cast, targeted call, namespace and version", async () => {
    const t = await transport();
    const topic = uniqueName("calc");
    await pythonServer(topic, "py1");
    const client = new RpcClient(t, { topic }, { timeoutMs: 10_000 });
    cleanups.push(() => client.close());
    await expect(client.call({}, "add", { a: 1, b: 2 })).resolves.toBe(3);
    await expect(client.call({}, "hello", { name: "Ada" })).resolves.toBe("Hello, Ada!");
    await expect(client.call({ user: "ada" }, "echo_context")).resolves.toMatchObject({
      user: "ada",
    });
    await expect(client.prepare({ server: "py1" }).call({}, "whoami")).resolves.toBe("py1");
    await client.cast({}, "remember", { value: "cast from node" });
    await expect(client.call({}, "recall")).resolves.toEqual(["cast from node"]);
    const control = client.prepare({ namespace: "control", version: "2.0" });
    await expect(control.call({}, "ping")).resolves.toBe("pong from py1");
    await expect(
      client.prepare({ namespace: "control", version: "3.0" }).call({}, "ping"),
    ).rejects.toMatchObject({ code: "unknown_method", remoteName: "UnsupportedVersion" });
  });

  it("brings Python's exceptions back by class name and message", async () => {
    const t = await transport();
    const topic = uniqueName("calc");
    await pythonServer(topic, "py1");
    const client = new RpcClient(t, { topic }, { timeoutMs: 10_000 });
    cleanups.push(() => client.close());
    const error = await client.call({}, "divide", { a: 1, b: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({
      code: "remote_error",
      remoteName: "ZeroDivisionError",
      message: "division by zero",
    });
    await expect(client.call({}, "power")).rejects.toMatchObject({
      code: "unknown_method",
      remoteName: "NoSuchMethod",
    });
  });

  it("fans a cast out to a Python server and ours alike", async () => {
    const t = await transport();
    const topic = uniqueName("calc");
    await pythonServer(topic, "py1");
    let received!: (args: unknown) => void;
    const got = new Promise((resolve) => (received = resolve));
    await ourServer(t, topic, "ts1", [
      { remember: (_c: unknown, args: unknown) => received(args) },
    ]);
    const client = new RpcClient(t, { topic }, { timeoutMs: 10_000 });
    cleanups.push(() => client.close());
    await client.prepare({ fanout: true }).cast({}, "remember", { value: "everyone" });
    await expect(got).resolves.toEqual({ value: "everyone" });
    await expect(client.prepare({ server: "py1" }).call({}, "recall")).resolves.toEqual([
      "everyone",
    ]);
  });
});
