import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrivateCluster, type PrivateCluster } from "../shared/broker/cluster.js";
import { calculatorEndpoint } from "../shared/oslo-calculator.js";
import { RpcError } from "../shared/rpc-error.js";
import { RpcClient } from "../solutions/09-amqp-rpc/rpc-client.js";
import { RpcServer } from "../solutions/09-amqp-rpc/rpc-server.js";
import { Transport } from "../solutions/09-amqp-rpc/transport.js";

/**
 * Lesson 9 on a three-node RabbitMQ cluster with quorum queues, as OpenStack runs it: a client
 * and two servers under load, then the node that holds the client's connection stops. Slow (a cluster starts), so it runs alone: npm run test:cluster.
 */
let cluster: PrivateCluster;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  cluster = await startPrivateCluster(3);
}, 240_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
  await cluster?.stop();
}, 60_000);

/** The cluster's transport URL with the nodes in this order: the first one is used first. */
function urlVia(order: number[]): string {
  const hosts = order.map((i) => `guest:guest@${new URL(cluster.nodes[i]!.url).host}`);
  return `rabbit://${hosts.join(",")}/?rabbit_quorum_queue=true`;
}

async function transport(order: number[], logs: string[]): Promise<Transport> {
  const opened = await Transport.connect(urlVia(order), { log: (line) => logs.push(line) });
  closers.push(() => opened.close());
  return opened;
}

describe("a three-node cluster with quorum queues", () => {
  it("loses a node under load: calls move to another node, no confirmed cast is lost or run twice", async () => {
    const topic = "calc";
    const logs: string[] = [];
    const ran = new Map<number, number>();
    const record = {
      record: (_context: unknown, { id }: { id: number }) =>
        void ran.set(id, (ran.get(id) ?? 0) + 1),
    };
    // The servers on nodes 2 and 3, the client on node 1.
    for (const [name, order] of [
      ["s1", [1, 2, 0]],
      ["s2", [2, 0, 1]],
    ] as const) {
      const server = new RpcServer(
        await transport([...order], logs),
        { topic, server: name },
        [calculatorEndpoint, record],
        { log: (line) => logs.push(line) },
      );
      await server.start();
      closers.push(async () => (await server.stop(), await server.wait()));
    }
    const clientTransport = await transport([0, 1, 2], logs);
    const client = new RpcClient(clientTransport, { topic }, { timeoutMs: 5_000 });
    closers.push(() => client.close());

    const calls = { ok: 0, wrong: 0, failed: new Map<string, number>() };
    const casts = {
      confirmed: new Set<number>(),
      reported: new Set<number>(),
      failed: new Map<string, number>(),
    };
    const count = (map: Map<string, number>, error: unknown) => {
      const { code, message } = RpcError.from(error);
      const key = `${code}: ${message.replace(/[0-9a-f]{32}|\d+/g, "#")}`;
      map.set(key, (map.get(key) ?? 0) + 1);
    };
    let running = true;
    let nextId = 0;
    let stoppedAt = 0;
    let disconnectedAt = 0;
    let firstCallAfterStop = 0;
    const worker = async () => {
      for (let i = 0; running; i++) {
        if (i % 2 === 0) {
          const a = nextId++;
          const sentAfterTheLoss = disconnectedAt > 0;
          try {
            const sum = await client.call({}, "add", { a, b: 1 });
            if (sum === a + 1) calls.ok += 1;
            else calls.wrong += 1;
            if (sentAfterTheLoss && !firstCallAfterStop) firstCallAfterStop = Date.now();
          } catch (error) {
            count(calls.failed, error);
          }
        } else {
          const id = nextId++;
          try {
            await client.cast({}, "record", { id });
            casts.confirmed.add(id);
          } catch (error) {
            casts.reported.add(id);
            count(casts.failed, error);
          }
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    const until = async (what: () => boolean) => {
      while (!what()) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    await until(() => calls.ok >= 200);
    const beforeStop = calls.ok;
    clientTransport.once("disconnected", () => (disconnectedAt = Date.now()));
    stoppedAt = Date.now();
    const stopping = cluster.nodes[0]!.shutDown();
    await until(() => firstCallAfterStop > 0 && calls.ok >= beforeStop + 200);
    running = false;
    await Promise.all(workers);
    await stopping;
    // Every confirmed cast reaches a server: wait for the last of them (bounded by the test).
    await until(() => [...casts.confirmed].every((id) => ran.has(id)));

    const twice = [...ran].filter(([, runs]) => runs > 1).map(([id]) => id);
    const failover = ((firstCallAfterStop - disconnectedAt) / 1000).toFixed(1);
    const noticed = ((disconnectedAt - stoppedAt) / 1000).toFixed(1);
    console.log(
      `cluster: the client lost node 1 ${noticed} s after it was told to stop; a call ` +
        `succeeded on another node ${failover} s later; ` +
        `calls ${calls.ok} ok, ${[...calls.failed.values()].reduce((a, b) => a + b, 0)} failed ` +
        `${JSON.stringify([...calls.failed])}; casts ${casts.confirmed.size} confirmed (all ran once), ` +
        `${casts.reported.size} reported failed ${JSON.stringify([...casts.failed])}; run twice: ${twice.length}`,
    );
    expect(calls.wrong, "no call got a wrong result").toBe(0);
    const unclear = [...calls.failed, ...casts.failed].filter(
      ([key]) => !key.startsWith("unavailable"),
    );
    expect(unclear, "every failure says the broker was unavailable").toEqual([]);
    expect(twice, "no cast ran twice").toEqual([]);
    expect(
      [...casts.confirmed].filter((id) => ran.get(id) !== 1),
      "every confirmed cast ran exactly once",
    ).toEqual([]);
    expect(clientTransport.connected, "the client is connected, to another node").toBe(true);
  }, 150_000);
});
