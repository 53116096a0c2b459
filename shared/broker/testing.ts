import { randomBytes } from "node:crypto";
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from "amqplib";
import { inject } from "vitest";

/**
 * Helpers for tests that talk to RabbitMQ. Every test file of lessons 8–10 shares one broker
 * (shared/broker/global-setup.ts), so tests isolate themselves by name: every queue and
 * exchange a test declares comes from uniqueName().
 */

/** The broker of this test run: AMQP_URL, or the private broker the run started. */
export function amqpUrl(): string {
  const url = inject("amqpUrl");
  if (!url) {
    throw new Error(
      "no broker for this test: lessons 8–10 run in the vitest project that starts one " +
        "(vitest.config.ts); run them with npm run lesson <N>",
    );
  }
  return url;
}

let counter = 0;

/** A queue or exchange name no other test, file or run uses: "orders.4f1c2a.3". */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}.${process.pid.toString(36)}${randomBytes(3).toString("hex")}.${counter}`;
}

/** A connection to the test broker, with Nagle off (small frames go out at once). */
export async function openConnection(url: string = amqpUrl()): Promise<ChannelModel> {
  const connection = await amqp.connect(url, { noDelay: true });
  // A broker-side close is reported through the promises that fail; an unhandled 'error'
  // event would crash the test worker instead.
  connection.on("error", () => {});
  return connection;
}

/** Opens a connection, runs `use`, and always closes the connection again. */
export async function withConnection<T>(use: (connection: ChannelModel) => Promise<T>): Promise<T> {
  const connection = await openConnection();
  try {
    return await use(connection);
  } finally {
    await connection.close().catch(() => {});
  }
}

/** A channel on a fresh connection, both closed when `use` settles. */
export async function withChannel<T>(use: (channel: Channel) => Promise<T>): Promise<T> {
  return withConnection(async (connection) => {
    const channel = await connection.createChannel();
    channel.on("error", () => {});
    return use(channel);
  });
}

/**
 * Consumes `count` messages from `queue`, acks them, and cancels the consumer. Rejects with a
 * clear message if they do not all arrive within `timeoutMs`: a deadline that turns a hang
 * into a failure, not a timing assertion.
 */
export async function receive(
  channel: Channel,
  queue: string,
  count: number,
  { timeoutMs = 5_000 }: { timeoutMs?: number } = {},
): Promise<ConsumeMessage[]> {
  const messages: ConsumeMessage[] = [];
  let done!: () => void;
  let fail!: (error: Error) => void;
  const all = new Promise<void>((resolve, reject) => ((done = resolve), (fail = reject)));
  const { consumerTag } = await channel.consume(queue, (message) => {
    if (!message) return fail(new Error(`the broker cancelled the consumer of "${queue}"`));
    // More than asked for: back to the queue for whoever consumes next.
    if (messages.length === count) return channel.nack(message, false, true);
    channel.ack(message);
    messages.push(message);
    if (messages.length === count) done();
  });
  const timer = setTimeout(
    () => fail(new Error(`expected ${count} message(s) on "${queue}", got ${messages.length}`)),
    timeoutMs,
  );
  try {
    await all;
    return messages;
  } finally {
    clearTimeout(timer);
    await channel.cancel(consumerTag).catch(() => {});
  }
}
