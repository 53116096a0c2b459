import { decode, encode } from "@msgpack/msgpack";
import { Subscriber, XPublisher } from "zeromq";
import { afterEach, describe, expect, it } from "vitest";
import { subscribe, ZeroRpcPublisher } from "./pubsub.js";

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

/** A service that records its calls and lets the test wait for the n-th one. */
function recordingService() {
  const calls: unknown[][] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const record = (call: unknown[]) => {
    calls.push(call);
    for (const w of waiters) if (calls.length >= w.count) w.resolve();
  };
  return {
    calls,
    until: (count: number) =>
      new Promise<void>((resolve) =>
        calls.length >= count ? resolve() : waiters.push({ count, resolve }),
      ),
    service: {
      add: (a: number, b: number) => record(["add", a, b]),
      hello: (name: string) => record(["hello", name]),
      fail: () => {
        throw new Error("boom");
      },
    },
  };
}

async function publisher(): Promise<{ pub: ZeroRpcPublisher; endpoint: string }> {
  const pub = new ZeroRpcPublisher();
  cleanup.push(() => pub.close());
  return { pub, endpoint: await pub.bind() };
}

describe("task 8: PUB/SUB", () => {
  it("delivers every published call to every subscriber, in order", async () => {
    // publisher ──add(1, 2), hello("Ada")──┬──▶ subscriber 1
    //                                      └──▶ subscriber 2
    const { pub, endpoint } = await publisher();
    const one = recordingService();
    const two = recordingService();
    for (const { service } of [one, two]) {
      const sub = await subscribe(service, { endpoint });
      cleanup.push(() => sub.close());
    }
    await pub.waitForSubscribers(2, { timeoutMs: 5_000 });
    expect(pub.subscribers).toBe(2);
    await pub.publish("add", [1, 2]);
    await pub.publish("hello", ["Ada"]);
    await Promise.all([one.until(2), two.until(2)]);
    for (const { calls } of [one, two]) {
      expect(calls).toEqual([
        ["add", 1, 2],
        ["hello", "Ada"],
      ]);
    }
  });

  it("publishes zerorpc events: one frame, [header, method, args]", async () => {
    const { pub, endpoint } = await publisher();
    const raw = new Subscriber({ linger: 0, receiveTimeout: 5_000 });
    cleanup.push(() => raw.close());
    raw.subscribe();
    raw.connect(endpoint);
    await pub.waitForSubscribers(1, { timeoutMs: 5_000 });
    await pub.publish("add", [11, 33]);
    const frames = await raw.receive();
    expect(frames.length, "one frame: a PUB message has no envelope").toBe(1);
    const [header, name, args] = decode(frames[0]!) as [Record<string, unknown>, string, unknown];
    expect([name, args]).toEqual(["add", [11, 33]]);
    expect(header.v).toBe(3);
    expect(header.message_id).toBeTruthy();
  });

  it("waits for subscribers no longer than its deadline", async () => {
    const { pub } = await publisher();
    await expect(pub.waitForSubscribers(1, { timeoutMs: 20 })).rejects.toMatchObject({
      code: "deadline_exceeded",
    });
  });

  it("drops garbage, unknown methods and failures, and keeps receiving", async () => {
    // A plain XPUB socket stands in for any zerorpc publisher, good or bad.
    const xpub = new XPublisher({ linger: 0, receiveTimeout: 5_000 });
    cleanup.push(() => xpub.close());
    await xpub.bind("tcp://127.0.0.1:*");
    const { service, calls, until } = recordingService();
    const log: string[] = [];
    const sub = await subscribe(service, {
      endpoint: xpub.lastEndpoint!,
      log: (line) => log.push(line),
    });
    cleanup.push(() => sub.close());
    await xpub.receive(); // the subscription has arrived: nothing sent from now on is lost

    const event = (name: unknown, args: unknown) => encode([{ message_id: "m", v: 3 }, name, args]);
    await xpub.send(["two", "frames"]);
    await xpub.send(Buffer.from([0xc1]));
    await xpub.send(encode({ not: "an event" }));
    await xpub.send(event("power", [2, 8]));
    await xpub.send(event("__proto__", []));
    await xpub.send(event("add", "not a list"));
    await xpub.send(event("fail", []));
    await xpub.send(event("add", [40, 2]));
    await until(1);
    expect(calls).toEqual([["add", 40, 2]]);
    expect(log.length, "pass a line to options.log for each message it could not use").toBe(7);
  });
});
