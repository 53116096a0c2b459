import type { Channel, ConsumeMessage, Message } from "amqplib";
import { RpcError } from "../../shared/rpc-error.js";
import { waitForDrain } from "./connect.js";

/** The content type of every job; a message without it is not ours. */
export const JOB_CONTENT_TYPE = "application/json";

/** A worker refuses bigger jobs: one huge message must not take a worker's memory. */
export const MAX_JOB_BYTES = 64 * 1024;

/** Where the broker parks the jobs a worker rejects: `orders` → `orders.dead`. */
export function deadLetterQueueOf(queue: string): string {
  return `${queue}.dead`;
}

// Task 1 ---------------------------------------------------------------------------------------

/**
 * Declares the work queue and its dead-letter queue. Both are durable: they survive a broker
 * restart. Declaring is idempotent, so producers and workers both call this before use.
 */
export async function declareWorkQueue(channel: Channel, queue: string): Promise<void> {
  const dead = deadLetterQueueOf(queue);
  await channel.assertQueue(dead, { durable: true });
  await channel.assertQueue(queue, {
    durable: true,
    // A rejected message (nack without requeue) goes through the default exchange "" to the
    // queue named by the routing key: the dead-letter queue, never back to this one.
    deadLetterExchange: "",
    deadLetterRoutingKey: dead,
  });
}

/**
 * Sends one job: JSON, persistent (written to disk in a durable queue), through the default
 * exchange, which routes by queue name. Waits for 'drain' when the channel's buffer is full.
 */
export async function sendJob(channel: Channel, queue: string, job: unknown): Promise<void> {
  const body = encodeJob(job);
  const accepted = channel.sendToQueue(queue, body, {
    persistent: true,
    contentType: JOB_CONTENT_TYPE,
    timestamp: Math.floor(Date.now() / 1000),
  });
  if (!accepted) await waitForDrain(channel);
}

function encodeJob(job: unknown): Buffer {
  let text: string | undefined;
  try {
    text = JSON.stringify(job);
  } catch (error) {
    throw new RpcError("invalid_argument", `the job is not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  // JSON.stringify(undefined) and JSON.stringify(() => 1) return undefined, not a string.
  if (text === undefined) throw new RpcError("invalid_argument", `a job cannot be ${typeof job}`);
  return Buffer.from(text);
}

// Task 2 ---------------------------------------------------------------------------------------

/** The job in a message, or an RpcError saying why the message is not a job. */
export function decodeJob(message: Message): unknown {
  const type = message.properties.contentType as string | undefined;
  if (type !== JOB_CONTENT_TYPE) {
    throw new RpcError("bad_message", `a job is ${JOB_CONTENT_TYPE}, this is ${type ?? "untyped"}`);
  }
  if (message.content.length > MAX_JOB_BYTES) {
    throw new RpcError(
      "too_large",
      `a job is at most ${MAX_JOB_BYTES} bytes, this is ${message.content.length}`,
    );
  }
  try {
    // JSON.parse makes "__proto__" an own property, never a prototype: safe on any input.
    return JSON.parse(message.content.toString("utf8"));
  } catch (error) {
    throw new RpcError("bad_message", `the job is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

// Task 3 ---------------------------------------------------------------------------------------

export type JobHandler = (job: unknown, message: ConsumeMessage) => unknown;

export interface WorkerOptions {
  /** How many unacked jobs the broker may hand this worker at once. */
  prefetch?: number;
  /** Told about every job the worker rejects (poison, or its handler threw). */
  onReject?: (error: RpcError, message: ConsumeMessage) => void;
}

export interface Worker {
  consumerTag: string;
  /** Stops taking jobs and waits for the ones in hand to be settled. */
  stop(): Promise<void>;
}

/**
 * Consumes `queue` with manual acks: a job is acked only after `handle` has finished with it,
 * so a worker that dies midway leaves the job to the broker, which hands it to another worker.
 * A job that cannot be decoded, or whose handler throws, is rejected without requeue: the
 * broker moves it to the dead-letter queue, and the worker goes on with the next one.
 */
export async function startWorker(
  channel: Channel,
  queue: string,
  handle: JobHandler,
  { prefetch = 1, onReject }: WorkerOptions = {},
): Promise<Worker> {
  // Without a limit the broker pushes the whole queue into this worker's memory at once, and
  // other workers on the same queue get nothing.
  await channel.prefetch(prefetch);
  const inHand = new Set<Promise<void>>();

  const settle = async (message: ConsumeMessage) => {
    let failure: RpcError | undefined;
    try {
      await handle(decodeJob(message), message);
    } catch (reason) {
      failure = RpcError.from(reason);
    }
    if (!failure) {
      channel.ack(message);
    } else {
      // requeue=false: the same poison would come straight back and stall the queue forever.
      channel.nack(message, false, false);
      onReject?.(failure, message);
    }
  };

  const { consumerTag } = await channel.consume(
    queue,
    (message) => {
      if (!message) return; // the broker cancelled us (the queue was deleted)
      const task = settle(message).catch(() => {
        // ack/nack on a channel that has closed: the broker requeues the job itself.
      });
      inHand.add(task);
      void task.finally(() => inHand.delete(task));
    },
    { noAck: false },
  );

  return {
    consumerTag,
    async stop() {
      await channel.cancel(consumerTag).catch(() => {});
      await Promise.all(inHand);
    },
  };
}
