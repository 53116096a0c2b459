import { encode } from "@msgpack/msgpack";
import { Dealer } from "zeromq";
import { afterEach, describe, expect, it } from "vitest";
import { calculator } from "../shared/calculator.js";
import { ZeroRpcClient } from "../solutions/07-zeromq/client.js";
import { subscribe, ZeroRpcPublisher } from "../solutions/07-zeromq/pubsub.js";
import { serveZeroRpc } from "../solutions/07-zeromq/server.js";

/**
 * Lesson 7's zerorpc server against malformed frames and messages, abusive names, a huge
 * message and a client that vanishes with calls open; after each, a fresh client's good call
 * must succeed.
 */
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function serverWithLog(options: { heartbeatMs?: number } = {}) {
  const log: string[] = [];
  const server = await serveZeroRpc(
    {
      ...calculator,
      slow: () => new Promise((resolve) => setTimeout(() => resolve("done"), 60_000)),
    },
    { ...options, maxMessageBytes: 1 << 20, log: (line) => log.push(line) },
  );
  closers.push(() => server.close());
  return { server, log };
}

async function goodCall(endpoint: string): Promise<void> {
  const client = ZeroRpcClient.connect(endpoint, { timeoutMs: 5_000 });
  try {
    expect(await client.call("add", [1, 2])).toBe(3);
  } finally {
    await client.close();
  }
}

async function rawDealer(endpoint: string): Promise<Dealer> {
  const dealer = new Dealer({ linger: 0 });
  dealer.connect(endpoint);
  closers.push(async () => dealer.close());
  return dealer;
}

const header = (id = "x".repeat(32)) => ({ message_id: id, v: 3 });

/**
 * [header, "add", [[[[…nil…]]], 1]] written byte by byte: msgpack's encoder stops at 100. With
 * `level` [0x81, 0x01], each level is a map {1: …} instead: int keys, decoded into Maps.
 */
function deeplyNested(depth: number, level = [0x91]): Uint8Array {
  const head = encode(header("n1"));
  const name = encode("add");
  return new Uint8Array([
    0x93,
    ...head,
    ...name,
    0x92,
    ...new Array<number[]>(depth).fill(level).flat(),
    0xc0,
    0x01,
  ]);
}

const ATTACKS: [string, (Uint8Array | string)[]][] = [
  ["one frame only", [encode([header(), "add", [1, 2]])]],
  [
    "four frames",
    [new Uint8Array(0), new Uint8Array(0), new Uint8Array(0), encode([header(), "add", [1, 2]])],
  ],
  ["bytes that are not msgpack", [new Uint8Array(0), new Uint8Array([0xc1, 0xc1, 0xc1])]],
  ["msgpack that is not an event", [new Uint8Array(0), encode({ hello: "world" })]],
  ["a header that is not a map", [new Uint8Array(0), encode(["header", "add", [1, 2]])]],
  [
    "a message_id that is a number",
    [new Uint8Array(0), encode([{ message_id: 7, v: 3 }, "add", [1, 2]])],
  ],
  ["args that are not an array", [new Uint8Array(0), encode([header(), "add", { a: 1 }])]],
  ["__proto__", [new Uint8Array(0), encode([header("p1"), "__proto__", []])]],
  ["constructor", [new Uint8Array(0), encode([header("p2"), "constructor", []])]],
  ["toString", [new Uint8Array(0), encode([header("p3"), "toString", []])]],
  ["a _zpc_ name as a call", [new Uint8Array(0), encode([header("z1"), "_zpc_hb", [0]])]],
  ["nesting 10,000 deep", [new Uint8Array(0), deeplyNested(10_000)]],
  [
    "maps with int keys nesting 10,000 deep",
    [new Uint8Array(0), deeplyNested(10_000, [0x81, 0x01])],
  ],
];

describe("malformed and abusive messages", () => {
  it.each(ATTACKS)("survives %s, and serves a fresh client", async (_name, frames) => {
    const { server } = await serverWithLog();
    const dealer = await rawDealer(server.endpoint);
    await dealer.send(frames);
    await goodCall(server.endpoint);
  });

  it("disconnects a peer that sends more than maxMessageBytes, and serves the others", async () => {
    const { server } = await serverWithLog();
    const dealer = await rawDealer(server.endpoint);
    await dealer.send([new Uint8Array(0), new Uint8Array(4 << 20)]);
    await goodCall(server.endpoint);
  });
});

describe("a client that vanishes", () => {
  it("with 500 calls open costs a few log lines, not 500, and the server goes on", async () => {
    const { server, log } = await serverWithLog({ heartbeatMs: 100 });
    const dealer = await rawDealer(server.endpoint);
    for (let i = 0; i < 500; i++) {
      await dealer.send([new Uint8Array(0), encode([header(`c${i}`), "slow", []])]);
    }
    dealer.close(); // gone, without a word: its 500 calls hear no more heartbeats
    const deadline = Date.now() + 10_000;
    while (!log.some((line) => /500|499/.test(line)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const lost = log.filter((line) => /lost remote/.test(line));
    expect(lost.length, lost.join("\n")).toBeGreaterThan(0);
    expect(lost.length, "summarised, not one line per call").toBeLessThanOrEqual(5);
    await goodCall(server.endpoint);
  });

  it("waits for a subscriber with a deadline of 25 days, longer than a timer holds", async () => {
    // Past 2^31 - 1 ms, a timer fires after 1 ms: the wait would give up before anyone came.
    const pub = new ZeroRpcPublisher();
    closers.push(() => pub.close());
    const endpoint = await pub.bind();
    const waiting = pub.waitForSubscribers(1, { timeoutMs: 25 * 24 * 3600 * 1000 });
    await new Promise((resolve) => setImmediate(resolve)); // the wait has begun, nobody yet
    const sub = await subscribe(calculator, { endpoint });
    closers.push(() => sub.close());
    await expect(waiting).resolves.toBeUndefined();
  });
});
