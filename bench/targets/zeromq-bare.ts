import * as zmq from "zeromq";
import type { BenchClient, BenchServer } from "../harness/target.js";

/**
 * Bare ZeroMQ: a Router serving, a Dealer calling, with no protocol on top — a 4-byte request
 * ID frame and a JSON frame [a, b] out, the ID and a JSON number back.
 *
 *   Dealer sends  [id][payload]            Router receives  [peer identity][id][payload]
 *   Router sends  [peer identity][id][sum] Dealer receives  [id][sum]
 */

export async function serve(): Promise<BenchServer> {
  const router = new zmq.Router();
  await router.bind("tcp://127.0.0.1:*");
  const served = (async () => {
    for await (const [identity, id, payload] of router) {
      const [a, b] = JSON.parse(payload!.toString()) as [number, number];
      // A Router queues or drops, never blocks: this await does not hold up the loop.
      await router.send([identity!, id!, JSON.stringify(a + b)]);
    }
  })();
  return {
    address: router.lastEndpoint!,
    async close() {
      router.close();
      await served;
    },
  };
}

export async function connect(address: string): Promise<BenchClient> {
  const dealer = new zmq.Dealer({ linger: 0 });
  dealer.connect(address);
  const pending = new Map<number, (sum: number) => void>();
  const received = (async () => {
    for await (const [id, sum] of dealer) {
      const key = id!.readUInt32BE(0);
      pending.get(key)?.(JSON.parse(sum!.toString()) as number);
      pending.delete(key);
    }
  })();
  // zeromq.js allows one send in progress per socket; calls made meanwhile wait in line.
  const queue: Buffer[][] = [];
  let sending = false;
  const flush = async () => {
    sending = true;
    while (queue.length) await dealer.send(queue.shift()!);
    sending = false;
  };
  let nextId = 0;
  return {
    add(a, b) {
      const id = (nextId = (nextId + 1) >>> 0);
      const frame = Buffer.allocUnsafe(4);
      frame.writeUInt32BE(id, 0);
      queue.push([frame, Buffer.from(JSON.stringify([a, b]))]);
      if (!sending) void flush();
      return new Promise((resolve) => pending.set(id, resolve));
    },
    async close() {
      dealer.close();
      await received;
    },
  };
}
