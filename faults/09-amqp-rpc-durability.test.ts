import { describe, expect, it } from "vitest";
import { Inbox, uniqueName, useOwnBroker } from "../shared/broker/testing.js";
import { calculatorEndpoint } from "../shared/oslo-calculator.js";
import { gate, useRpc } from "../lessons/09-amqp-rpc/harness.js";
import { Executor } from "../lessons/09-amqp-rpc/executor.js";
import type { QueueKind } from "../lessons/09-amqp-rpc/queue-kind.js";
import type { Transport } from "../lessons/09-amqp-rpc/transport.js";

/**
 * "Confirmed" casts across a real broker restart, in each queue kind (queue-kind.ts): what the
 * lesson's README promises each one keeps, and nothing less. Slow (a broker restart each), so
 * here and not in the lesson's own loop.
 */
const own = useOwnBroker();
const rpc = useRpc();

const QUERY: Record<QueueKind, string> = {
  transient: "",
  durable: "?amqp_durable_queues=true",
  quorum: "?rabbit_quorum_queue=true",
};

function reconnection(transport: Transport): Promise<unknown> {
  return new Promise((resolve, reject) => {
    transport.once("reconnected", resolve);
    transport.once("reconnect-failed", reject);
  });
}

/**
 * Two servers, each running one cast at a time and stuck in it (a backlog waits in the
 * queue), and a client that casts `count` times and is told each is confirmed. restart() is
 * shared: every kind goes through the same broker restart, then the servers are let go and
 * every cast that runs is counted.
 */
async function castsWaiting(kind: QueueKind, count: number) {
  const url = own.broker.url + QUERY[kind];
  // An exchange of the test's own: a durable and a transient "openstack" cannot both exist.
  const options = { defaultExchange: uniqueName("durability"), reconnectDelayMs: 100 };
  const topic = rpc.topic();
  const ran = new Inbox<number>();
  const startedBeforeRestart = new Set<number>();
  const letGo = gate();
  let restarted = false;
  const transports: Transport[] = [];
  for (const name of ["s1", "s2"]) {
    const { transport } = await rpc.transport(url, options);
    expect(transport.queueKind).toBe(kind);
    transports.push(transport);
    await rpc.server(
      transport,
      { topic, server: name },
      [
        calculatorEndpoint,
        {
          work: async (_context: unknown, { id }: { id: number }) => {
            if (!restarted) startedBeforeRestart.add(id);
            ran.push(id);
            await letGo.promise;
          },
        },
      ],
      { executor: new Executor(1) },
    );
  }
  const { transport } = await rpc.transport(url, options);
  transports.push(transport);
  const client = rpc.client(transport, { topic }, { timeoutMs: 20_000 });
  const confirmed: number[] = [];
  await Promise.all(
    Array.from({ length: count }, (_, id) =>
      client.cast({}, "work", { id }).then(() => confirmed.push(id)),
    ),
  );
  expect(confirmed.length, "every cast was confirmed").toBe(count);
  await ran.atLeast(2, { what: "casts started by the two servers" });
  return {
    kind,
    ran,
    confirmed,
    startedBeforeRestart,
    /** Call before the restart: resolves once all three are back. */
    reconnected() {
      restarted = true;
      return Promise.all(transports.map(reconnection));
    },
    /** After the restart: lets the servers go, and waits until they serve a call again. */
    async resume() {
      letGo.open();
      await expect(client.call({}, "add", { a: 1, b: 2 })).resolves.toBe(3);
    },
  };
}

describe("confirmed casts across a broker restart", () => {
  it("transient queues lose what waited in them; durable and quorum queues lose nothing confirmed", async () => {
    const kinds = [
      await castsWaiting("transient", 200),
      await castsWaiting("durable", 200),
      await castsWaiting("quorum", 200),
    ];
    const back = kinds.map((kind) => kind.reconnected());
    await own.broker.restart();
    await Promise.all(back);
    for (const kind of kinds) await kind.resume();

    const [transient, ...kept] = kinds;
    // The default, as oslo's: the queues, and what they held, ended with the broker. A call
    // through the same queue is answered, so nothing was merely late.
    expect(new Set(transient!.ran.items).size, "no cast ran twice").toBe(
      transient!.ran.items.length,
    );
    expect(new Set(transient!.ran.items), "only those started before the restart ran").toEqual(
      transient!.startedBeforeRestart,
    );
    for (const { kind, ran, confirmed } of kept) {
      await ran.atLeast(confirmed.length, { timeoutMs: 30_000, what: `${kind} casts run` });
      expect(
        [...ran.items].sort((a, b) => a - b),
        `${kind}: each confirmed cast once`,
      ).toEqual([...confirmed].sort((a, b) => a - b));
    }
  }, 180_000);
});
