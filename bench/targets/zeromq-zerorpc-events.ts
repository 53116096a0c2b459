import { randomUUID } from "node:crypto";
import * as zmq from "zeromq";
import { decodeMsgpack, encodeMsgpack } from "../../shared/msgpack.js";
import type { BenchClient, BenchServer } from "../harness/target.js";

/**
 * The bare Dealer and Router of zeromq-bare.ts, carrying zerorpc's events instead of a 4-byte
 * id and JSON: what the protocol itself costs, before any of lesson 7's code (channels,
 * heartbeats, deadlines, send credit) runs.
 *
 *   Dealer sends  [empty][msgpack [{message_id: uuid, v: 3}, "add", [a, b]]]
 *   Router sends  [peer identity][empty][msgpack [{message_id: uuid, v: 3, response_to}, "OK", [sum]]]
 */

type Event = [{ message_id: string; v: number; response_to?: string }, string, unknown[]];

const EMPTY = Buffer.alloc(0);

export async function serve(): Promise<BenchServer> {
  const router = new zmq.Router();
  await router.bind("tcp://127.0.0.1:*");
  const served = (async () => {
    for await (const [identity, , body] of router) {
      const [header, , args] = decodeMsgpack(body!) as Event;
      const [a, b] = args as [number, number];
      const reply: Event = [
        { message_id: randomUUID(), v: 3, response_to: header.message_id },
        "OK",
        [a + b],
      ];
      // A Router queues or drops, never blocks: this await does not hold up the loop.
      await router.send([identity!, EMPTY, encodeMsgpack(reply)]);
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
  const pending = new Map<string, (sum: number) => void>();
  const received = (async () => {
    for await (const [, body] of dealer) {
      const [header, , args] = decodeMsgpack(body!) as Event;
      const id = header.response_to!;
      pending.get(id)?.(args[0] as number);
      pending.delete(id);
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
  return {
    add(a, b) {
      const id = randomUUID();
      const request: Event = [{ message_id: id, v: 3 }, "add", [a, b]];
      queue.push([EMPTY, Buffer.from(encodeMsgpack(request))]);
      if (!sending) void flush();
      return new Promise((resolve) => pending.set(id, resolve));
    },
    async close() {
      dealer.close();
      await received;
    },
  };
}
