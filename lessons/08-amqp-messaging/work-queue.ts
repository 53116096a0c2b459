import type { Channel, ConsumeMessage, Message } from "amqplib";
import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
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
  // Task 1: declare deadLetterQueueOf(queue), durable; then `queue` itself, durable, with
  // dead-lettering to it through the default exchange "":
  //   await channel.assertQueue(name, { durable: true, deadLetterExchange: "", deadLetterRoutingKey: ... })
  void [channel, queue];
  return todo("task 1: declareWorkQueue");
}

/**
 * Sends one job: JSON, persistent (written to disk in a durable queue), through the default
 * exchange, which routes by queue name. Waits for 'drain' when the channel's buffer is full.
 */
export async function sendJob(channel: Channel, queue: string, job: unknown): Promise<void> {
  // Task 1: encode the job as JSON (refuse with RpcError("invalid_argument") what JSON cannot
  // carry), then
  //   const accepted = channel.sendToQueue(queue, body, { persistent: true, contentType: JOB_CONTENT_TYPE })
  //   if (!accepted) await waitForDrain(channel);
  void [channel, queue, job, RpcError, waitForDrain];
  return todo("task 1: sendJob");
}

// Task 2 ---------------------------------------------------------------------------------------

/** The job in a message, or an RpcError saying why the message is not a job. */
export function decodeJob(message: Message): unknown {
  // Task 2: refuse with RpcError("bad_message") a message whose properties.contentType is not
  // JOB_CONTENT_TYPE, with RpcError("too_large") one over MAX_JOB_BYTES, and with
  // RpcError("bad_message") content that JSON.parse refuses. Otherwise return the parsed job.
  void message;
  return todo("task 2: decodeJob");
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
  // Task 3:
  //   await channel.prefetch(prefetch)               at most this many unacked jobs in hand
  //   await channel.consume(queue, onMessage, { noAck: false })   → { consumerTag }
  // For each message: decodeJob, await handle(job, message), then channel.ack(message).
  // If either throws: channel.nack(message, false, false) and onReject?.(RpcError.from(e), message).
  // Keep the handling promises, so stop() can channel.cancel(consumerTag) and then wait for them.
  void [channel, queue, handle, prefetch, onReject];
  return todo("task 3: startWorker");
}
