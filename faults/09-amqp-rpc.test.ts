import { describe, expect, it } from "vitest";
import { useBrokerLinks, useOwnBroker, withChannel } from "../shared/broker/testing.js";
import { calculatorEndpoint } from "../shared/oslo-calculator.js";
import { RpcError } from "../shared/rpc-error.js";
import { gate, useRpc } from "../lessons/09-amqp-rpc/harness.js";
import { RpcServer, type ServerOptions } from "../solutions/09-amqp-rpc/rpc-server.js";
import type { Transport } from "../solutions/09-amqp-rpc/transport.js";

/**
 * Lesson 9's server against poison of every kind, each followed by a good call; and a client
 * whose broker is gone.
 */
const rpc = useRpc();

const PROPS = { contentType: "application/json", contentEncoding: "utf-8", deliveryMode: 2 };
const envelope = (message: unknown) =>
  Buffer.from(JSON.stringify({ "oslo.version": "2.0", "oslo.message": JSON.stringify(message) }));

const POISON: [string, Buffer][] = [
  ["not JSON", Buffer.from("\u0000\u00ff not json")],
  ["an empty body", Buffer.alloc(0)],
  ["JSON that is not an object", Buffer.from("42")],
  ["an envelope whose message is broken", Buffer.from('{"oslo.version":"2.0","oslo.message":"{"}')],
  ["an envelope of version 3", Buffer.from('{"oslo.version":"3.0","oslo.message":"{}"}')],
  ["a method that is a number", envelope({ method: 7, args: {} })],
  ["args as a string", envelope({ method: "add", args: "a=1" })],
  ["a prototype method name", envelope({ method: "__proto__", args: {} })],
  ["constructor", envelope({ method: "constructor", args: {} })],
  ["toString", envelope({ method: "toString", args: {} })],
  [
    "a context whose values are objects",
    envelope({ method: "add", args: { a: 1, b: 2 }, _context_user: { toString: 1 } }),
  ],
  [
    "arguments nested 10,000 deep",
    Buffer.from(
      `{"oslo.version":"2.0","oslo.message":${JSON.stringify(`{"method":"add","args":{"a":${"[".repeat(10_000)}${"]".repeat(10_000)},"b":1}}`)}}`,
    ),
  ],
  [
    "a megabyte of junk arguments",
    envelope({ method: "add", args: { a: "x".repeat(1 << 20), b: 1 } }),
  ],
];

describe("poison on a server's topic", () => {
  it.each(POISON)("survives %s, and answers the next good call", async (_name, body) => {
    const { transport } = await rpc.transport();
    const topic = rpc.topic();
    await rpc.server(transport, { topic, server: "s1" }, [calculatorEndpoint]);
    await withChannel(async (channel) => {
      channel.publish("openstack", topic, body, PROPS);
      await channel.checkQueue(topic);
    });
    const client = rpc.client(transport, { topic }, { timeoutMs: 10_000 });
    await expect(client.call({}, "add", { a: 1, b: 2 })).resolves.toBe(3);
  });
});

describe("a message delivered twice", () => {
  it("runs once: a duplicate _unique_id is acknowledged and dropped, as oslo does", async () => {
    const { transport } = await rpc.transport();
    const topic = rpc.topic();
    let runs = 0;
    await rpc.server(transport, { topic, server: "s1" }, [
      { ...calculatorEndpoint, count: () => ++runs },
    ]);
    const twice = envelope({ method: "count", args: {}, _unique_id: "same-id-twice" });
    await withChannel(async (channel) => {
      channel.publish("openstack", topic, twice, PROPS);
      channel.publish("openstack", topic, twice, PROPS);
      await channel.checkQueue(topic);
    });
    const client = rpc.client(transport, { topic }, { timeoutMs: 10_000 });
    await expect(client.call({}, "add", { a: 1, b: 2 })).resolves.toBe(3);
    expect(runs).toBe(1);
  });
});

/**
 * A server dies in the middle of a call (its connection closes, as when the process is
 * killed) while a second server waits on the same topic. Whether the request runs again on the
 * second one is the acknowledgement mode's promise.
 */
async function callWhileAServerDies(acknowledge: ServerOptions["acknowledge"]) {
  const topic = rpc.topic();
  const ranOn: string[] = [];
  const started = gate();
  const dying = (await rpc.transport()).transport as unknown as Transport;
  const first = new RpcServer(
    dying,
    { topic, server: "first" },
    [
      {
        work: () => {
          ranOn.push("first");
          started.open();
          return new Promise(() => {}); // never answers: it is about to die
        },
      },
    ],
    { acknowledge, log: () => {} },
  );
  await first.start();
  const { transport } = await rpc.transport();
  const client = rpc.client(transport, { topic }, { timeoutMs: 4_000 });
  const outcome = client.call({}, "work", {}).catch((error: unknown) => error);
  await started.promise;
  // The second server starts only now, so the first delivery surely went to the first one.
  await rpc.server(transport, { topic, server: "second" }, [
    { work: () => (ranOn.push("second"), "done by the second server") },
  ]);
  await dying.close(); // the broker gives back what the first server had not acknowledged
  return { outcome: await outcome, ranOn };
}

describe("a server that dies in the middle of a call", () => {
  it('"before-running" (the default, as oslo): acked as it starts, so it never runs twice', async () => {
    const { outcome, ranOn } = await callWhileAServerDies("before-running");
    expect(ranOn, "at most once: the second server never sees it").toEqual(["first"]);
    expect(outcome).toMatchObject({ code: "deadline_exceeded" });
  }, 30_000);

  it('"after-reply": acked once answered, so the second server runs it again and replies', async () => {
    const { outcome, ranOn } = await callWhileAServerDies("after-reply");
    expect(ranOn, "at least once: it ran on both").toEqual(["first", "second"]);
    expect(outcome).toBe("done by the second server");
  }, 30_000);
});

// This part stops its broker, so it starts one of its own: the shared one stays up.
describe("a broker that is gone", () => {
  const own = useOwnBroker();

  it("a call made while the broker is down is unavailable, not a server's fault", async () => {
    const { transport } = await rpc.transport(own.broker.url);
    const client = rpc.client(transport, { topic: rpc.topic() }, { timeoutMs: 1_500 });
    await own.broker.stop();
    const error = await client.call({}, "add", { a: 1, b: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe("unavailable");
    expect((error as RpcError).message).toMatch(/never sent/);
  }, 60_000);
});

describe("an outage under load", () => {
  const links = useBrokerLinks();

  it("every call and cast that fails says unavailable, and the next ones succeed", async () => {
    const link = await links.open();
    const { transport: serving } = await rpc.transport(link.url);
    const { transport } = await rpc.transport(link.url);
    const topic = rpc.topic();
    await rpc.server(serving, { topic, server: "s1" }, [calculatorEndpoint]);
    await rpc.server(serving, { topic, server: "s2" }, [calculatorEndpoint]);
    const client = rpc.client(transport, { topic }, { timeoutMs: 1_000 });
    const failures = new Map<string, number>();
    let succeeded = 0;
    let running = true;
    const worker = async () => {
      for (let i = 0; running; i++) {
        const attempt =
          i % 2 === 0
            ? client.call({}, "add", { a: i, b: 1 })
            : client.cast({}, "add", { a: i, b: 1 });
        try {
          await attempt;
          succeeded += 1;
        } catch (error) {
          const { code, message } = RpcError.from(error);
          const key = `${code}: ${message.replace(/[0-9a-f]{32}|\d+/g, "#")}`;
          failures.set(key, (failures.get(key) ?? 0) + 1);
        }
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    const successes = async (count: number) => {
      const start = succeeded;
      while (succeeded < start + count) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    await successes(20);
    link.down();
    // As a restarted broker would have, it loses the servers' queues.
    await withChannel(async (channel) => {
      for (const queue of [topic, `${topic}.s1`, `${topic}.s2`]) await channel.deleteQueue(queue);
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // the outage lasts a while
    link.up();
    await successes(20);
    running = false;
    await Promise.all(workers);
    const wrong = [...failures].filter(([key]) => !key.startsWith("unavailable"));
    expect(wrong, "every failure during the outage is unavailable").toEqual([]);
    expect(failures.size, "the outage was felt").toBeGreaterThan(0);
  }, 30_000);
});
