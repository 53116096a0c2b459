import type { Channel, GetMessage, Options } from "amqplib";
import { describe, expect, it } from "vitest";
import { Inbox, uniqueName, useBrokerSession } from "../../shared/broker/testing.js";
import { RpcError } from "../../shared/rpc-error.js";
import {
  deadLetterQueueOf,
  declareWorkQueue,
  decodeJob,
  JOB_CONTENT_TYPE,
  MAX_JOB_BYTES,
  sendJob,
} from "./work-queue.js";

const broker = useBrokerSession();

/** A fresh work queue (and its dead-letter queue), deleted after the file's tests. */
async function freshQueue(channel: Channel): Promise<string> {
  const queue = uniqueName("jobs");
  broker.deleteAfterAll({ queues: [queue, deadLetterQueueOf(queue)] });
  await declareWorkQueue(channel, queue);
  return queue;
}

/** Takes one message off the queue; the test's sends were confirmed, so it is there. */
async function take(channel: Channel, queue: string): Promise<GetMessage> {
  const message = await channel.get(queue, { noAck: true });
  expect(message, `expected a message waiting in "${queue}"`).not.toBe(false);
  return message as GetMessage;
}

/** Puts raw bytes through the broker and back, so decodeJob sees a real message. */
async function throughBroker(content: Buffer, options: Options.Publish): Promise<GetMessage> {
  const channel = await broker.confirmChannel();
  const { queue } = await channel.assertQueue("", { exclusive: true });
  channel.sendToQueue(queue, content, options);
  await channel.waitForConfirms();
  const message = await take(channel, queue);
  return message;
}

async function expectRpcError(promise: Promise<unknown>, code: string, hint: string) {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, hint).toBeInstanceOf(RpcError);
  expect((error as RpcError).code, hint).toBe(code);
  return error as RpcError;
}

describe("task 1: a durable work queue", () => {
  it("declares a durable queue: the broker refuses to redeclare it as transient", async () => {
    const queue = await freshQueue(await broker.channel());
    const probe = await broker.channel();
    await expect(
      probe.assertQueue(queue, { durable: false }),
      "declare the queue with { durable: true } so it survives a broker restart",
    ).rejects.toThrow(/inequivalent arg 'durable'/);
  });

  it("declares its dead-letter queue, where rejected jobs go", async () => {
    const channel = await broker.confirmChannel();
    const queue = await freshQueue(channel);
    await expect(
      channel.checkQueue(deadLetterQueueOf(queue)),
      "declare deadLetterQueueOf(queue) too",
    ).resolves.toMatchObject({ queue: deadLetterQueueOf(queue) });

    await sendJob(channel, queue, { method: "add", args: [1, 2] });
    await channel.waitForConfirms();
    const message = await channel.get(queue, { noAck: false });
    expect(message, "the job should wait in the queue").not.toBe(false);
    const parked = new Inbox<string>();
    await channel.consume(
      deadLetterQueueOf(queue),
      (dead) => dead && parked.push(dead.content.toString()),
      { noAck: true },
    );
    channel.nack(message as GetMessage, false, false);
    const [body] = await parked.atLeast(1, {
      what: "job in the dead-letter queue: set deadLetterExchange and deadLetterRoutingKey",
    });
    expect(JSON.parse(body!)).toEqual({ method: "add", args: [1, 2] });
  });

  it("sends a job as persistent JSON to the queue of that name", async () => {
    const channel = await broker.confirmChannel();
    const queue = await freshQueue(channel);
    await sendJob(channel, queue, { method: "hello", args: ["Ada"] });
    await channel.waitForConfirms();
    const message = await take(channel, queue);
    expect(message.fields.exchange, "send through the default exchange").toBe("");
    expect(message.properties.contentType, `set contentType: "${JOB_CONTENT_TYPE}"`).toBe(
      JOB_CONTENT_TYPE,
    );
    expect(message.properties.deliveryMode, "set persistent: true (delivery mode 2)").toBe(2);
    expect(JSON.parse(message.content.toString())).toEqual({ method: "hello", args: ["Ada"] });
  });

  it("keeps jobs in the queue, in order, while no worker runs", async () => {
    const channel = await broker.confirmChannel();
    const queue = await freshQueue(channel);
    for (const n of [1, 2, 3]) await sendJob(channel, queue, { n });
    await channel.waitForConfirms();
    expect((await channel.checkQueue(queue)).messageCount, "all three jobs wait").toBe(3);
    for (const n of [1, 2, 3]) {
      expect(JSON.parse((await take(channel, queue)).content.toString())).toEqual({ n });
    }
  });

  it("refuses a job that JSON cannot carry, with invalid_argument", async () => {
    const channel = await broker.channel();
    const queue = await freshQueue(channel);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    for (const job of [undefined, () => 1, circular, 10n]) {
      await expectRpcError(
        sendJob(channel, queue, job),
        "invalid_argument",
        `sendJob(${typeof job}) should throw RpcError("invalid_argument")`,
      );
    }
    expect((await channel.checkQueue(queue)).messageCount, "nothing was sent").toBe(0);
  });
});

describe("task 2: decode a job, refuse poison", () => {
  it("decodes each kind of JSON value back to what was sent", async () => {
    const channel = await broker.confirmChannel();
    const queue = await freshQueue(channel);
    const jobs = [{ method: "add", args: [1, 2] }, [1, "two"], "text", 42, null, true, "世界"];
    for (const job of jobs) await sendJob(channel, queue, job);
    await channel.waitForConfirms();
    for (const job of jobs) expect(decodeJob(await take(channel, queue))).toEqual(job);
  });

  it("refuses a body that is not JSON with bad_message", async () => {
    const message = await throughBroker(Buffer.from("{not json"), {
      contentType: JOB_CONTENT_TYPE,
    });
    const error = await expectRpcError(
      (async () => decodeJob(message))(),
      "bad_message",
      "invalid JSON is a bad_message",
    );
    expect(error.message).toMatch(/JSON/);
  });

  it("refuses a message of another content type, or of none", async () => {
    for (const contentType of ["text/plain", undefined]) {
      const message = await throughBroker(Buffer.from("1"), contentType ? { contentType } : {});
      await expectRpcError(
        (async () => decodeJob(message))(),
        "bad_message",
        `a message of content type ${contentType ?? "(none)"} is not a job`,
      );
    }
  });

  it("refuses a job larger than MAX_JOB_BYTES with too_large", async () => {
    const big = Buffer.from(JSON.stringify("x".repeat(MAX_JOB_BYTES)));
    const message = await throughBroker(big, { contentType: JOB_CONTENT_TYPE });
    await expectRpcError(
      (async () => decodeJob(message))(),
      "too_large",
      `check message.content.length against MAX_JOB_BYTES (${MAX_JOB_BYTES})`,
    );
  });

  it('keeps "__proto__" a plain key: a job cannot change prototypes', async () => {
    const message = await throughBroker(Buffer.from('{"__proto__":{"polluted":true}}'), {
      contentType: JOB_CONTENT_TYPE,
    });
    const job = decodeJob(message) as Record<string, unknown>;
    expect(Object.getPrototypeOf(job)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(job, "__proto__")).toBe(true);
  });
});
