import { describe, expect, it } from "vitest";
import { divide } from "../../shared/calculator.js";
import { classifyMessage } from "./messages.js";
import { Peer } from "./peer.js";
import { Recorder, wire } from "./testing.js";

/** Two peers on one in-process byte stream, framed as on a pipe. */
function pair() {
  const w = wire();
  const log: string[] = [];
  const left = new Peer(w.left, { log: (line) => log.push(line) });
  const right = new Peer(w.right, { log: (line) => log.push(line) });
  return { ...w, left, right, log };
}

/** A raw end on the left (to send what no peer would) and a peer on the right. */
function rawAndPeer() {
  const w = wire();
  const raw = new Recorder();
  w.left.start(raw);
  const right = new Peer(w.right, { log: () => {} });
  void right.closed.then((reason) => raw.fail(reason)); // its reason says more than "closed"
  return { ...w, raw, right };
}

describe("task 2: a peer that calls and answers", () => {
  it("sorts messages into requests, notifications, results, errors and invalid ones", () => {
    expect(classifyMessage({ jsonrpc: "2.0", id: 1, method: "m" }).kind).toBe("request");
    expect(classifyMessage({ jsonrpc: "2.0", method: "m", params: {} }).kind).toBe("notification");
    expect(classifyMessage({ jsonrpc: "2.0", id: "a", result: null })).toEqual({
      kind: "result",
      id: "a",
      result: null,
    });
    expect(
      classifyMessage({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "x" } }),
    ).toMatchObject({ kind: "error", id: null });
    for (const junk of [
      [],
      1,
      null,
      { id: 1, method: "m" },
      { jsonrpc: "2.0", id: 1, method: 7 },
    ]) {
      expect(classifyMessage(junk).kind, JSON.stringify(junk)).toBe("invalid");
    }
    expect(
      classifyMessage({ jsonrpc: "2.0", id: 9, method: "m", params: "p" }),
      "keeps the id",
    ).toMatchObject({ kind: "invalid", id: 9 });
    expect(
      classifyMessage({ jsonrpc: "2.0", id: null, method: "m" }),
      "MCP forbids id null",
    ).toMatchObject({ kind: "invalid", id: null });
  });

  it("lets both sides call each other on one connection, each with ids of its own", async () => {
    const { left, right } = pair();
    left.onRequest("whoami", () => "left");
    right.onRequest("whoami", () => "right");
    right.onRequest(
      "askBack",
      async (_params, context) => `right asked: ${String(await context.request("whoami"))}`,
    );
    const [a, b, c] = await Promise.all([
      left.request("whoami"),
      right.request("whoami"),
      left.request("askBack"),
    ]);
    expect([a, b, c]).toEqual(["right", "left", "right asked: left"]);
    left.close();
  });

  it("routes replies by id when they come back out of order", async () => {
    const { left, right } = pair();
    const gates = new Map<number, () => void>();
    right.onRequest(
      "wait",
      ({ n }: { n: number }) => new Promise((resolve) => gates.set(n, () => resolve(n))),
    );
    const calls = [1, 2, 3].map((n) => left.request("wait", { n }));
    while (gates.size < 3) await new Promise((resolve) => setImmediate(resolve));
    for (const n of [3, 1, 2]) gates.get(n)!();
    expect(await Promise.all(calls)).toEqual([1, 2, 3]);
    left.close();
  });

  it("answers an unknown method with -32601 and a thrown error with lesson 5's error object", async () => {
    const { left, right } = pair();
    right.onRequest("divide", ({ a, b }: { a: number; b: number }) => divide(a, b));
    await expect(left.request("nope")).rejects.toMatchObject({ code: "unknown_method" });
    await expect(left.request("divide", { a: 1, b: 0 })).rejects.toMatchObject({
      code: "remote_error",
      remoteName: "DivisionByZeroError",
    });
    expect(await left.request("divide", { a: 6, b: 3 })).toBe(2);
    left.close();
  });

  it("answers a line that is not JSON with -32700 and an invalid message with -32600, and goes on", async () => {
    const { toRight, raw, right, left } = rawAndPeer();
    right.onRequest("echo", (params) => params);
    toRight.write("{not json\n");
    toRight.write('{"jsonrpc":"2.0","id":5,"method":42}\n');
    left.send({ jsonrpc: "2.0", id: 6, method: "echo", params: { ok: true } });
    expect(await raw.next((m) => m.id === 6)).toEqual({
      jsonrpc: "2.0",
      id: 6,
      result: { ok: true },
    });
    expect(raw.messages[0]).toMatchObject({ id: null, error: { code: -32700 } });
    expect(raw.messages[1]).toMatchObject({ id: 5, error: { code: -32600 } });
    left.close();
  });

  it("refuses a request whose id is already running, and leaves the first call alone", async () => {
    const { raw, right, left } = rawAndPeer();
    let release!: () => void;
    right.onRequest("slow", () => new Promise((resolve) => (release = () => resolve("first"))));
    left.send({ jsonrpc: "2.0", id: 1, method: "slow" });
    left.send({ jsonrpc: "2.0", id: 1, method: "slow" });
    expect(await raw.next((m) => m.id === 1)).toMatchObject({ error: { code: -32600 } });
    release();
    expect(await raw.next((m) => m.id === 1 && "result" in m)).toMatchObject({ result: "first" });
    left.close();
  });

  it("fails every call in flight with unavailable when the other side goes away", async () => {
    const { left, right, cut } = pair();
    right.onRequest("never", () => new Promise(() => {}));
    const call = left.request("never");
    cut();
    await expect(call).rejects.toMatchObject({ code: "unavailable" });
    await expect(left.request("never"), "and refuses new ones").rejects.toMatchObject({
      code: "unavailable",
    });
  });

  it("drops a reply to an id nobody waits for, and says so on its log", async () => {
    const w = wire();
    const raw = new Recorder();
    w.left.start(raw);
    const log: string[] = [];
    const right = new Peer(w.right, { log: (line) => log.push(line) });
    right.onRequest("ok", () => "ok");
    w.left.send({ jsonrpc: "2.0", id: 77, result: "a reply nobody asked for" });
    w.left.send({ jsonrpc: "2.0", id: 1, method: "ok" });
    expect(await raw.next((m) => m.id === 1)).toMatchObject({ result: "ok" });
    expect(log.join("\n")).toContain("77");
    expect(raw.messages, "no answer to a reply").toHaveLength(1);
    right.close();
  });
});
