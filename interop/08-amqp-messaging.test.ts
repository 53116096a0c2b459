import type { ConsumeMessage } from "amqplib";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { beforeAll, describe, expect, it } from "vitest";
import { amqpUrl, Inbox, uniqueName, useBrokerSession } from "../shared/broker/testing.js";
import { requirePython, runPython, startPython } from "../shared/testing/python.js";
import { publishEvent, subscribe } from "../solutions/08-amqp-messaging/exchanges.js";
import {
  deadLetterQueueOf,
  declareWorkQueue,
  sendJob,
  startWorker,
} from "../solutions/08-amqp-messaging/work-queue.js";

// Lesson 8 against pika, the Python client of the article the AMQP lessons grew from: its
// producer feeds our worker, our producer feeds its consumer, and a job held by a consumer
// that dies unacked goes to the other side, marked redelivered.

const PIKA = { modules: ["pika"], debianPackage: "python3-pika" };
const PEER = readFileSync(new URL("./08-pika-peer.py", import.meta.url), "utf8");
const session = useBrokerSession();

interface PikaReport {
  job: unknown;
  content_type: string;
  persistent: boolean;
  redelivered: boolean;
  routing_key: string;
}

const reports = (output: string) =>
  output
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as PikaReport);

beforeAll(() => requirePython(PIKA));

/** A work queue of this test, deleted with its dead-letter queue after the file. */
function workQueue(): string {
  const queue = uniqueName("orders");
  session.deleteAfterAll({ queues: [queue, deadLetterQueueOf(queue)] });
  return queue;
}

describe("lesson 8 and pika: a work queue", () => {
  it("a pika producer's persistent JSON jobs reach our worker, which acks them", async () => {
    // pika ──3 jobs──▶ [orders] ──▶ our worker
    const queue = workQueue();
    const jobs = [{ order: 1 }, { order: 2 }, { order: 3 }];
    await runPython(PEER, ["produce", amqpUrl(), queue, JSON.stringify(jobs)]);
    const channel = await session.channel();
    // Declared by pika first: the same arguments, or the broker would refuse ours.
    await declareWorkQueue(channel, queue);
    const inbox = new Inbox<{ job: unknown; message: ConsumeMessage }>();
    const worker = await startWorker(channel, queue, (job, message) =>
      inbox.push({ job, message }),
    );
    const got = await inbox.atLeast(3, { what: "jobs from pika" });
    await worker.stop();
    expect(got.map((g) => g.job)).toEqual(jobs);
    for (const { message } of got) {
      expect(message.properties.deliveryMode, "pika's delivery_mode=2: persistent").toBe(2);
      expect(message.properties.contentType).toBe("application/json");
    }
    const { messageCount } = await channel.checkQueue(queue);
    expect(messageCount, "every job acked").toBe(0);
    await channel.close();
  });

  it("our producer's jobs reach a pika consumer, persistent and in order", async () => {
    // our producer ──3 jobs──▶ [orders] ──▶ pika consumer (manual acks)
    const queue = workQueue();
    const channel = await session.channel();
    await declareWorkQueue(channel, queue);
    for (const order of [1, 2, 3]) await sendJob(channel, queue, { order });
    const output = await runPython(PEER, ["consume", amqpUrl(), queue, "3"]);
    expect(reports(output)).toEqual(
      [1, 2, 3].map((order) => ({
        job: { order },
        content_type: "application/json",
        persistent: true,
        redelivered: false,
        routing_key: queue,
      })),
    );
    expect((await channel.checkQueue(queue)).messageCount, "pika acked every job").toBe(0);
    await channel.close();
  });

  it("a job a pika consumer dies holding goes to our worker, marked redelivered", async () => {
    // our producer ──job──▶ [orders] ──▶ pika (takes it, never acks, is killed)
    //                               └──▶ our worker: the same job, redelivered
    const queue = workQueue();
    const channel = await session.channel();
    await declareWorkQueue(channel, queue);
    await sendJob(channel, queue, { order: 42 });
    const pika = await startPython(PEER, ["take-and-die", amqpUrl(), queue]);
    expect(JSON.parse(pika.ready)).toEqual({ order: 42 });
    const inbox = new Inbox<ConsumeMessage>();
    const worker = await startWorker(channel, queue, (_job, message) => inbox.push(message));
    await pika.stop(); // its connection drops with the job unacked: the broker requeues it
    const [message] = await inbox.atLeast(1, { what: "the requeued job" });
    await worker.stop();
    expect(JSON.parse(message!.content.toString())).toEqual({ order: 42 });
    expect(message!.fields.redelivered, "the broker says it was delivered before").toBe(true);
    await channel.close();
  });

  it("a job our worker dies holding goes to a pika consumer, marked redelivered", async () => {
    const queue = workQueue();
    const channel = await session.channel();
    await declareWorkQueue(channel, queue);
    await sendJob(channel, queue, { order: 7 });
    const dying = await session.connection.createChannel();
    const taken = new Inbox<unknown>();
    // A handler that never finishes: the job stays unacked until the channel goes.
    await startWorker(dying, queue, (job) => {
      taken.push(job);
      return new Promise(() => {});
    });
    await taken.atLeast(1, { what: "the job in our worker's hands" });
    await dying.close();
    const output = await runPython(PEER, ["consume", amqpUrl(), queue, "1"]);
    expect(reports(output)).toEqual([
      expect.objectContaining({ job: { order: 7 }, redelivered: true, persistent: true }),
    ]);
    await channel.close();
  });
});

describe("lesson 8 and pika: exchanges", () => {
  it("pika publishes to a topic exchange; our subscriber gets what its binding keys match", async () => {
    // pika ──orders.created, orders.paid, users.created──▶ (topic) ──orders.*──▶ our queue
    const exchange = uniqueName("events");
    session.deleteAfterAll({ exchanges: [exchange] });
    const channel = await session.channel();
    const queue = await subscribe(channel, exchange, "topic", ["orders.*"]);
    const inbox = new Inbox<{ key: string; event: unknown }>();
    await channel.consume(
      queue,
      (m) => m && inbox.push({ key: m.fields.routingKey, event: JSON.parse(m.content.toString()) }),
      { noAck: true },
    );
    const pairs = [
      ["orders.created", { id: 1 }],
      ["users.created", { id: 2 }],
      ["orders.paid", { id: 1 }],
    ];
    await runPython(PEER, ["publish", amqpUrl(), exchange, "topic", JSON.stringify(pairs)]);
    const got = await inbox.atLeast(2, { what: "events from pika" });
    expect(got).toEqual([
      { key: "orders.created", event: { id: 1 } },
      { key: "orders.paid", event: { id: 1 } },
    ]);
    await channel.close();
  });

  it("we publish to a fanout exchange; a pika subscriber gets every event", async () => {
    // our publisher ──2 events──▶ (fanout) ──▶ pika's exclusive queue
    const exchange = uniqueName("broadcast");
    session.deleteAfterAll({ exchanges: [exchange] });
    const pika = await startPython(PEER, [
      "subscribe",
      amqpUrl(),
      exchange,
      "fanout",
      JSON.stringify([""]),
      "2",
    ]);
    const lines: string[] = [];
    const done = new Promise<void>((resolve) => {
      createInterface({ input: pika.process.stdout! }).on("line", (line) => {
        if (!line.startsWith("READY")) lines.push(line);
        if (lines.length === 2) resolve();
      });
    });
    const channel = await session.channel();
    await publishEvent(channel, exchange, "ignored", { n: 1 });
    await publishEvent(channel, exchange, "any", { n: 2 });
    await done;
    await pika.stop();
    expect(reports(lines.join("\n")).map((r) => [r.job, r.content_type])).toEqual([
      [{ n: 1 }, "application/json"],
      [{ n: 2 }, "application/json"],
    ]);
    await channel.close();
  });
});
