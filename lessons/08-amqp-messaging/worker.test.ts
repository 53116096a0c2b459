import type { Channel, ConsumeMessage } from "amqplib";
import { describe, expect, it } from "vitest";
import { gate, Inbox, uniqueName, useBrokerSession } from "../../shared/broker/testing.js";
import type { RpcError } from "../../shared/rpc-error.js";
import {
  deadLetterQueueOf,
  declareWorkQueue,
  JOB_CONTENT_TYPE,
  sendJob,
  startWorker,
} from "./work-queue.js";

const broker = useBrokerSession();

async function freshQueue(channel: Channel): Promise<string> {
  const queue = uniqueName("work");
  broker.deleteAfterAll({ queues: [queue, deadLetterQueueOf(queue)] });
  await declareWorkQueue(channel, queue);
  return queue;
}

/** Sends jobs and waits until the broker has them queued. */
async function send(queue: string, ...jobs: unknown[]): Promise<void> {
  const channel = await broker.confirmChannel();
  for (const job of jobs) await sendJob(channel, queue, job);
  await channel.waitForConfirms();
}

/** Ready (not yet delivered) messages in the queue, as the broker counts them. */
async function waiting(queue: string): Promise<number> {
  const channel = await broker.channel();
  const { messageCount } = await channel.checkQueue(queue);
  return messageCount;
}

describe("task 3: a worker that acks", () => {
  it("handles jobs in the order they were sent, and acks each one", async () => {
    const channel = await broker.channel();
    const queue = await freshQueue(channel);
    const handled = new Inbox<unknown>();
    const worker = await startWorker(channel, queue, (job) => handled.push(job));
    await send(queue, { n: 1 }, { n: 2 }, { n: 3 });
    expect(await handled.atLeast(3, { what: "jobs handled" })).toEqual([
      { n: 1 },
      { n: 2 },
      { n: 3 },
    ]);
    await worker.stop();
    // Closing the channel would give every unacked job back to the queue.
    await channel.close();
    expect(await waiting(queue), "ack each job once its handler is done").toBe(0);
  });

  it("delivers the jobs sent while no worker ran, once one starts", async () => {
    const channel = await broker.channel();
    const queue = await freshQueue(channel);
    await send(queue, "early", "bird");
    expect(await waiting(queue)).toBe(2);
    const handled = new Inbox<unknown>();
    const worker = await startWorker(channel, queue, (job) => handled.push(job));
    expect(await handled.atLeast(2, { what: "jobs handled" })).toEqual(["early", "bird"]);
    await worker.stop();
  });

  it("gives the job of a worker whose channel dies to another worker, marked redelivered", async () => {
    //  worker A ── takes the job, never acks ──✗ its channel closes
    //  broker   ── requeues the job ──► worker B (fields.redelivered = true)
    const setup = await broker.channel();
    const queue = await freshQueue(setup);
    const channelA = await broker.channel();
    const stuck = gate();
    const takenByA = new Inbox<unknown>();
    await startWorker(channelA, queue, async (job) => {
      takenByA.push(job);
      await stuck.promise;
    });
    await send(queue, { order: 42 });
    await takenByA.atLeast(1, { what: "job taken by worker A" });

    const channelB = await broker.channel();
    const takenByB = new Inbox<ConsumeMessage>();
    const workerB = await startWorker(channelB, queue, (_job, message) => takenByB.push(message));
    await channelA.close(); // worker A dies with the job in hand
    stuck.open();

    const [again] = await takenByB.atLeast(1, {
      what: "redelivered job: ack only after the handler has finished",
    });
    expect(JSON.parse(again!.content.toString())).toEqual({ order: 42 });
    expect(again!.fields.redelivered).toBe(true);
    await workerB.stop();
  });

  it("shows the risk of noAck: the job of a consumer that dies is lost", async () => {
    // The broker forgets a message as soon as it is delivered to a noAck consumer.
    const setup = await broker.channel();
    const queue = await freshQueue(setup);
    const channel = await broker.channel();
    const delivered = new Inbox<unknown>();
    await channel.consume(queue, (message) => message && delivered.push(message), {
      noAck: true,
    });
    await send(queue, { order: 7 });
    await delivered.atLeast(1);
    await channel.close(); // died before handling it
    expect(await waiting(queue), "nothing came back: with noAck the job is gone").toBe(0);
  });

  it("holds at most `prefetch` unacked jobs at a time", async () => {
    const channel = await broker.channel();
    const queue = await freshQueue(channel);
    const busy = gate();
    const started = new Inbox<unknown>();
    const worker = await startWorker(
      channel,
      queue,
      async (job) => {
        started.push(job);
        await busy.promise;
      },
      { prefetch: 2 },
    );
    await send(queue, 1, 2, 3, 4, 5);
    await started.atLeast(2, { what: "jobs started" });
    expect(
      await waiting(queue),
      "with prefetch 2 the broker keeps 3 of 5 jobs back: call channel.prefetch(prefetch)",
    ).toBe(3);
    busy.open();
    expect(await started.atLeast(5, { what: "jobs started" })).toEqual([1, 2, 3, 4, 5]);
    await worker.stop();
  });

  it("shares one queue among several workers, round robin", async () => {
    //             ┌─► worker A (prefetch 1): job 1, then whatever is next
    //  queue ─────┤
    //             └─► worker B (prefetch 1): job 2, ...
    const setup = await broker.channel();
    const queue = await freshQueue(setup);
    const busy = gate();
    const all = new Inbox<string>();
    const byWorker = { A: [] as unknown[], B: [] as unknown[] };
    const workers = await Promise.all(
      (["A", "B"] as const).map(async (name) =>
        startWorker(await broker.channel(), queue, async (job) => {
          byWorker[name].push(job);
          all.push(name);
          await busy.promise;
        }),
      ),
    );
    await send(queue, 1, 2, 3, 4, 5, 6);
    await all.atLeast(2, { what: "jobs started" });
    expect(
      byWorker.A,
      "each worker holds one job: the broker alternates between them",
    ).toHaveLength(1);
    expect(byWorker.B).toHaveLength(1);
    expect(await waiting(queue)).toBe(4);
    busy.open();
    await all.atLeast(6, { what: "jobs handled" });
    expect([...byWorker.A, ...byWorker.B].sort(), "every job once, none twice").toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
    await Promise.all(workers.map((worker) => worker.stop()));
  });

  it("rejects a poison message to the dead-letter queue and goes on with the next job", async () => {
    const channel = await broker.channel();
    const queue = await freshQueue(channel);
    const handled = new Inbox<unknown>();
    const rejected = new Inbox<RpcError>();
    const worker = await startWorker(channel, queue, (job) => handled.push(job), {
      onReject: (error) => rejected.push(error),
    });
    const raw = await broker.confirmChannel();
    raw.sendToQueue(queue, Buffer.from("{oops"), { contentType: JOB_CONTENT_TYPE });
    raw.sendToQueue(queue, Buffer.from("<xml/>"), { contentType: "text/xml" });
    await sendJob(raw, queue, { after: "poison" });
    await raw.waitForConfirms();

    expect(await handled.atLeast(1, { what: "good job handled after the poison" })).toEqual([
      { after: "poison" },
    ]);
    const errors = await rejected.atLeast(2, { what: "rejections reported to onReject" });
    expect(errors.map((error) => error.code)).toEqual(["bad_message", "bad_message"]);

    const parked = new Inbox<string>();
    await raw.consume(deadLetterQueueOf(queue), (m) => m && parked.push(m.content.toString()), {
      noAck: true,
    });
    expect(
      await parked.atLeast(2, { what: "poison messages in the dead-letter queue" }),
      "nack(message, false, false): reject without requeue",
    ).toEqual(["{oops", "<xml/>"]);
    await worker.stop();
    await channel.close();
    expect(await waiting(queue), "no poison may stay in the work queue").toBe(0);
  });

  it("parks a job whose handler throws, and keeps working", async () => {
    const channel = await broker.channel();
    const queue = await freshQueue(channel);
    const handled = new Inbox<unknown>();
    const rejected = new Inbox<RpcError>();
    const worker = await startWorker(
      channel,
      queue,
      (job) => {
        if (job === "boom") throw new Error("the handler failed");
        handled.push(job);
      },
      { onReject: (error) => rejected.push(error) },
    );
    await send(queue, "boom", "fine");
    expect(await handled.atLeast(1, { what: "jobs handled" })).toEqual(["fine"]);
    const [error] = await rejected.atLeast(1, { what: "rejection reported to onReject" });
    expect(error!.message).toBe("the handler failed");

    const dead = await broker.channel();
    const parked = new Inbox<string>();
    await dead.consume(deadLetterQueueOf(queue), (m) => m && parked.push(m.content.toString()), {
      noAck: true,
    });
    expect(await parked.atLeast(1, { what: "failed job in the dead-letter queue" })).toEqual([
      '"boom"',
    ]);
    await worker.stop();
  });

  it("stop() lets the job in hand finish, then takes no more", async () => {
    const channel = await broker.channel();
    const queue = await freshQueue(channel);
    const busy = gate();
    const started = new Inbox<unknown>();
    const finished: unknown[] = [];
    const worker = await startWorker(channel, queue, async (job) => {
      started.push(job);
      await busy.promise;
      finished.push(job);
    });
    await send(queue, "first", "second");
    await started.atLeast(1, { what: "job started" });
    const stopping = worker.stop();
    busy.open();
    await stopping;
    expect(finished, "stop() resolves after the job in hand is done").toEqual(["first"]);
    await channel.close();
    expect(await waiting(queue), "the second job stays in the queue for another worker").toBe(1);
  });
});
