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
 * A message the worker rejects must land in `deadLetterQueueOf(queue)`: RabbitMQ does that
 * for a queue declared with a dead-letter exchange and routing key (the default exchange, "",
 * routes by queue name). The arguments of a queue cannot change once it exists.
 */
export async function declareWorkQueue(channel: Channel, queue: string): Promise<void> {
  return todo("task 1: declareWorkQueue");
}

/**
 * Sends one job: JSON with content type JOB_CONTENT_TYPE, persistent (written to disk in a
 * durable queue), through the default exchange, which routes by queue name. A job JSON cannot
 * carry (undefined, a function, a cycle, a BigInt) is refused with RpcError
 * "invalid_argument". Waits for 'drain' (`waitForDrain`) when amqplib says its buffer is full.
 */
export async function sendJob(channel: Channel, queue: string, job: unknown): Promise<void> {
  return todo("task 1: sendJob");
}

// Task 2 ---------------------------------------------------------------------------------------

/**
 * The job in a message, or an RpcError saying why the message is not a job: "bad_message" for
 * another content type or content that is not JSON, "too_large" past MAX_JOB_BYTES. Anyone
 * can publish to a queue, so every byte of a message is untrusted.
 */
export function decodeJob(message: Message): unknown {
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
 * broker moves it to the dead-letter queue, `onReject` hears of it, and the worker goes on with
 * the next one. At most `prefetch` jobs are in hand at once. `stop()` cancels the consumer and
 * waits for the jobs in hand to be settled.
 */
export async function startWorker(
  channel: Channel,
  queue: string,
  handle: JobHandler,
  { prefetch = 1, onReject }: WorkerOptions = {},
): Promise<Worker> {
  return todo("task 3: startWorker");
}
