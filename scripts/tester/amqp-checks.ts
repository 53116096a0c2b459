import amqp from "amqplib";
import { expectThat, type StageContext } from "./stage.js";

/** Publishes bodies straight to a queue, with publisher confirms: the broker has them all. */
export async function publishToQueue(
  ctx: StageContext,
  queue: string,
  bodies: (Buffer | string)[],
  options: amqp.Options.Publish = {},
): Promise<void> {
  const connection = await amqp.connect(ctx.amqpUrl!);
  connection.on("error", () => {});
  try {
    const channel = await connection.createConfirmChannel();
    for (const body of bodies) channel.sendToQueue(queue, Buffer.from(body), options);
    await channel.waitForConfirms();
  } finally {
    await connection.close().catch(() => {});
  }
}

/**
 * Waits until `queue` holds no ready message while someone consumes it. The broker counts
 * only ready messages, so a consumer that never acknowledges passes while under its prefetch
 * limit; past it, messages stay ready and this fails. Asked again and again: the broker tells
 * no one when a queue empties.
 */
export async function expectDrained(ctx: StageContext, queue: string, what: string, ms = 10_000) {
  const connection = await amqp.connect(ctx.amqpUrl!);
  connection.on("error", () => {});
  let last = { messageCount: -1, consumerCount: -1 };
  try {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const channel = await connection.createChannel();
      channel.on("error", () => {});
      last = await channel.checkQueue(queue);
      await channel.close().catch(() => {});
      if (last.messageCount === 0 && last.consumerCount > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await connection.close().catch(() => {});
  }
  expectThat(
    false,
    `${what}: the queue "${queue}" emptied, with a consumer`,
    `${last.messageCount} messages ready, ${last.consumerCount} consumers`,
    "take each message and acknowledge it once it is handled (or reject it, when it is poison)",
  );
}

/** Cuts the server's broker connections, after a pause the seed chooses (0–200 ms). */
export async function cutServerAtSeededMoment(ctx: StageContext): Promise<void> {
  if (!ctx.cutServerBrokerConnections) throw new Error("this stage runs under --faults only");
  await new Promise((resolve) => setTimeout(resolve, ctx.random?.int(0, 200) ?? 0));
  ctx.cutServerBrokerConnections();
}
