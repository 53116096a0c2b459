import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ChannelModel, ConsumeMessage } from "amqplib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { amqpUrl, openConnection, uniqueName, useOwnBroker } from "../shared/broker/testing.js";
import { runCalculatorJob } from "../lessons/08-amqp-messaging/calculator-jobs.js";
import { startReconnectingWorker } from "../lessons/08-amqp-messaging/reconnecting-worker.js";
import {
  declareWorkQueue,
  deadLetterQueueOf,
  sendJob,
  startWorker,
  MAX_JOB_BYTES,
} from "../solutions/08-amqp-messaging/work-queue.js";

/**
 * Lesson 8's worker against poison, a dying consumer and a broker restart. After each attack a
 * good job must still be handled.
 */

/** Handled jobs, and a way to wait for the next one. */
function jobLog() {
  const jobs: unknown[] = [];
  const waiters: (() => void)[] = [];
  return {
    jobs,
    handle: async (job: unknown) => {
      jobs.push(job);
      waiters.splice(0).forEach((wake) => wake());
    },
    async until(count: number, timeoutMs = 20_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (jobs.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${jobs.length} of ${count} jobs handled`);
        await new Promise<void>((wake) => {
          waiters.push(wake);
          setTimeout(wake, 200);
        });
      }
    },
  };
}

async function send(url: string, queue: string, job: unknown): Promise<void> {
  const connection = await openConnection(url);
  try {
    const channel = await connection.createConfirmChannel();
    await declareWorkQueue(channel, queue);
    await sendJob(channel, queue, job);
    await channel.waitForConfirms();
  } finally {
    await connection.close().catch(() => {});
  }
}

describe("poison jobs", () => {
  let connection: ChannelModel;
  beforeAll(async () => {
    connection = await openConnection();
  });
  afterAll(async () => {
    await connection?.close().catch(() => {});
  });

  it("dead-letters every kind of poison and goes on with the next good job", async () => {
    const queue = uniqueName("faults.jobs");
    const channel = await connection.createChannel();
    await declareWorkQueue(channel, queue);
    const log = jobLog();
    const rejected: string[] = [];
    const worker = await startWorker(channel, queue, log.handle, {
      prefetch: 4,
      onReject: (error) => rejected.push(error.code),
    });
    const json = { contentType: "application/json", persistent: true };
    channel.sendToQueue(queue, Buffer.from("{not json"), json);
    channel.sendToQueue(queue, Buffer.from(""), json);
    channel.sendToQueue(queue, Buffer.from([0xff, 0xfe, 0x00]), json);
    channel.sendToQueue(queue, Buffer.from('{"a":1}'), { contentType: "text/plain" });
    channel.sendToQueue(queue, Buffer.from('{"a":1}'), {}); // no content type at all
    channel.sendToQueue(queue, Buffer.alloc(MAX_JOB_BYTES + 1, 0x20), json);
    channel.sendToQueue(queue, Buffer.from("[".repeat(60_000)), json); // deep nesting
    await send(amqpUrl(), queue, { good: 1 });
    await log.until(1);
    expect(log.jobs).toEqual([{ good: 1 }]);
    expect(rejected.length, rejected.join()).toBe(7);
    expect(rejected.sort()).toEqual(
      [
        "bad_message",
        "bad_message",
        "bad_message",
        "bad_message",
        "bad_message",
        "bad_message",
        "too_large",
      ].sort(),
    );
    const dead = await channel.checkQueue(deadLetterQueueOf(queue));
    expect(dead.messageCount).toBe(7);
    await worker.stop();
    await channel.close();
  });

  it("calls a JSON job that is not a calculator job a bad message (the demo worker's handler)", async () => {
    const queue = uniqueName("faults.calculator");
    const channel = await connection.createChannel();
    await declareWorkQueue(channel, queue);
    const log = jobLog();
    const rejected: string[] = [];
    const worker = await startWorker(channel, queue, (job) => log.handle(runCalculatorJob(job)), {
      prefetch: 4,
      onReject: (error) => rejected.push(`${error.code}: ${error.message}`),
    });
    for (const job of [
      { method: "nope", args: [] },
      { method: "add" },
      42,
      { method: "__proto__", args: [] },
    ])
      await send(amqpUrl(), queue, job);
    await send(amqpUrl(), queue, { method: "add", args: [1, 2] });
    await log.until(1);
    expect(log.jobs).toEqual(["add(1, 2) = 3"]);
    expect(rejected).toHaveLength(4);
    for (const line of rejected) expect(line).toMatch(/^bad_message: not a calculator job/);
    await worker.stop();
    await channel.close();
  });

  it("rejects a job whose handler throws anything, even a non-Error, and keeps consuming", async () => {
    const queue = uniqueName("faults.throws");
    const channel = await connection.createChannel();
    await declareWorkQueue(channel, queue);
    const handled: unknown[] = [];
    const worker = await startWorker(channel, queue, (job) => {
      const { kind } = job as { kind: string };
      if (kind === "string") throw "a string";
      if (kind === "null") throw null;
      if (kind === "weird") throw { toString: 1 };
      handled.push(job);
    });
    for (const kind of ["string", "null", "weird", "good"]) await send(amqpUrl(), queue, { kind });
    const deadline = Date.now() + 20_000;
    while (handled.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(handled).toEqual([{ kind: "good" }]);
    await worker.stop();
    await channel.close();
  });
});

describe("a consumer killed with -9", () => {
  it("leaves its unacked job to the broker, which gives it to another worker", async () => {
    const queue = uniqueName("faults.kill9");
    const fixture = path.join(
      path.dirname(fileURLToPath(import.meta.url)),
      "fixtures",
      "08-hanging-worker.ts",
    );
    const child = spawn(process.execPath, ["--import", "tsx", fixture, amqpUrl(), queue], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const lines = createInterface({ input: child.stdout! });
    const saw = (prefix: string) =>
      new Promise<void>((resolve) =>
        lines.on("line", (line) => line.startsWith(prefix) && resolve()),
      );
    const ready = saw("READY");
    const took = saw("TOOK");
    await ready;
    await send(amqpUrl(), queue, { job: "survives" });
    await took;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;

    const connection = await openConnection();
    const channel = await connection.createChannel();
    const redelivered: ConsumeMessage[] = [];
    const log = jobLog();
    const worker = await startWorker(channel, queue, (job, message) => {
      redelivered.push(message);
      return log.handle(job);
    });
    await log.until(1);
    expect(log.jobs).toEqual([{ job: "survives" }]);
    expect(redelivered[0]!.fields.redelivered).toBe(true);
    await worker.stop();
    await connection.close();
  });
});

// This part restarts and stops its broker, so it starts one of its own: the shared one stays up.
describe("a broker restart", () => {
  const own = useOwnBroker();

  it("a reconnecting worker consumes again; with no broker at all it gives up with one line", async () => {
    const queue = uniqueName("faults.restart");
    const log = jobLog();
    const lines: string[] = [];
    const worker = await startReconnectingWorker(own.broker.url, queue, log.handle, {
      log: (line) => lines.push(line),
    });
    await send(own.broker.url, queue, { before: true });
    await log.until(1);

    await own.broker.restart();
    await send(own.broker.url, queue, { after: true });
    await log.until(2, 30_000);
    expect(log.jobs).toEqual([{ before: true }, { after: true }]);
    await vi.waitFor(() => expect(worker.reconnects).toBeGreaterThanOrEqual(1));
    expect(lines.join("\n")).toMatch(/lost the broker/);

    // A second worker that gives up quickly: the broker now goes away for good.
    const impatient = await startReconnectingWorker(
      own.broker.url,
      uniqueName("faults.gone"),
      log.handle,
      {
        giveUpAfterMs: 2_000,
      },
    );
    await own.broker.stop();
    await expect(impatient.finished).rejects.toThrow(/no broker for 2 s.*giving up/);
    await impatient.stop();
    await worker.stop();
  }, 120_000);
});
