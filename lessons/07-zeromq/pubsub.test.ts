import { decode, encode } from "@msgpack/msgpack";
import { Pull, Push, Subscriber, XPublisher } from "zeromq";
import { afterEach, describe, expect, it } from "vitest";
import { pull, subscribe, ZeroRpcPublisher, ZeroRpcPusher } from "./pubsub.js";

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

function pusher(): ZeroRpcPusher {
  const pusher = new ZeroRpcPusher();
  cleanup.push(() => pusher.close());
  return pusher;
}

const event = (name: unknown, args: unknown) => encode([{ message_id: "m", v: 3 }, name, args]);

describe("task 8: PUB/SUB and PUSH/PULL", () => {
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
    await expect(pub.waitForSubscribers(1, { timeoutMs: 5 })).rejects.toMatchObject({
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

describe("task 8: PUB/SUB and PUSH/PULL", () => {
  it("delivers each pushed call to the puller exactly once, in order", async () => {
    // pusher ──add(1, 2), add(3, 4), hello("Ada")──▶ puller
    const push = pusher();
    const endpoint = await push.bind();
    const { service, calls, until } = recordingService();
    const puller = await pull(service, { endpoint });
    cleanup.push(() => puller.close());
    await push.push("add", [1, 2]);
    await push.push("add", [3, 4]);
    await push.push("hello", ["Ada"]);
    await until(3);
    // One more, behind the others on the same connection: once it is in, none came twice.
    await push.push("hello", ["end"]);
    await until(4);
    expect(calls).toEqual([
      ["add", 1, 2],
      ["add", 3, 4],
      ["hello", "Ada"],
      ["hello", "end"],
    ]);
  });

  it("shares the calls among pullers, round robin: each call reaches one of them", async () => {
    // pusher ──add(0, 0), add(2, 0), add(4, 0)──▶ puller 1 (binds)
    //        └─add(1, 0), add(3, 0), add(5, 0)──▶ puller 2 (binds)
    const one = recordingService();
    const two = recordingService();
    const push = pusher();
    for (const { service } of [one, two]) {
      const puller = await pull(service, { endpoint: "tcp://127.0.0.1:*", bind: true });
      cleanup.push(() => puller.close());
      push.connect(puller.endpoint);
    }
    for (let i = 0; i < 6; i++) await push.push("add", [i, 0]);
    await Promise.all([one.until(3), two.until(3)]);
    expect(one.calls, "every other call, starting with the first").toEqual([
      ["add", 0, 0],
      ["add", 2, 0],
      ["add", 4, 0],
    ]);
    expect(two.calls).toEqual([
      ["add", 1, 0],
      ["add", 3, 0],
      ["add", 5, 0],
    ]);
  });

  it("keeps what is pushed while no puller is there, and delivers it once one connects", async () => {
    const push = pusher();
    const endpoint = await push.bind();
    // Nobody connected: a PUB socket would drop these; a PUSH socket holds them.
    const pushed = [push.push("add", [1, 2]), push.push("add", [3, 4])];
    const { service, calls, until } = recordingService();
    const puller = await pull(service, { endpoint });
    cleanup.push(() => puller.close());
    await Promise.all(pushed);
    await until(2);
    expect(calls, "pushes wait their turn: use the Outbox of task 2").toEqual([
      ["add", 1, 2],
      ["add", 3, 4],
    ]);
  });

  it("pushes zerorpc events: one frame, [header, method, args]", async () => {
    const raw = new Pull({ linger: 0, receiveTimeout: 5_000 });
    cleanup.push(() => raw.close());
    await raw.bind("tcp://127.0.0.1:*");
    const push = pusher();
    push.connect(raw.lastEndpoint!);
    await push.push("add", [11, 33]);
    const frames = await raw.receive();
    expect(frames.length, "one frame: a PUSH message has no envelope").toBe(1);
    const [header, name, args] = decode(frames[0]!) as [Record<string, unknown>, string, unknown];
    expect([name, args]).toEqual(["add", [11, 33]]);
    expect(header.v).toBe(3);
    expect(header.message_id).toBeTruthy();
  });

  it("drops garbage, unknown methods, _ names and failures, and keeps pulling", async () => {
    // A plain PUSH socket stands in for any zerorpc pusher, good or bad.
    const raw = new Push({ linger: 0, sendTimeout: 5_000 });
    cleanup.push(() => raw.close());
    await raw.bind("tcp://127.0.0.1:*");
    const { service, calls, until } = recordingService();
    const log: string[] = [];
    const hidden = { ...service, _private: () => calls.push(["_private"]) };
    const puller = await pull(hidden, {
      endpoint: raw.lastEndpoint!,
      log: (line) => log.push(line),
    });
    cleanup.push(() => puller.close());

    await raw.send(["two", "frames"]);
    await raw.send(Buffer.from([0xc1]));
    await raw.send(encode({ not: "an event" }));
    await raw.send(event("power", [2, 8]));
    await raw.send(event("_private", []));
    await raw.send(event("__proto__", []));
    await raw.send(event("add", "not a list"));
    await raw.send(event("fail", []));
    await raw.send(event("add", [40, 2]));
    await until(1);
    expect(calls, "a name starting with _ is never called").toEqual([["add", 40, 2]]);
    expect(log.length, "pass a line to options.log for each message it could not use").toBe(8);
  });

  it("fails a push still waiting when the pusher closes, instead of leaving it hanging", async () => {
    const push = pusher();
    await push.bind();
    const waiting = push.push("add", [1, 2]);
    await push.close();
    await expect(waiting).rejects.toMatchObject({ code: "canceled" });
  });
});
