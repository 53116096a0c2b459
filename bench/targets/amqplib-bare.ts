import { randomUUID } from "node:crypto";
import amqp, { type ConfirmChannel } from "amqplib";
import type { BenchClient, BenchServer, ClientOptions, TargetContext } from "../harness/target.js";

/**
 * Bare amqplib RPC, as RabbitMQ's own tutorial builds it but tuned: the server consumes a
 * queue with acks and a prefetch window, the client gets replies by direct reply-to
 * (`amq.rabbitmq.reply-to`, no reply queue to declare) and matches them by correlation ID.
 * Both connections set `noDelay`: amqplib writes a message as several frames, and with Nagle's
 * algorithm on, the last small write waits for the peer's delayed ACK (~40 ms).
 */
export function makeAmqp({ noDelay = true, confirm = false } = {}) {
  async function serve({ amqpUrl }: TargetContext): Promise<BenchServer> {
    const connection = await amqp.connect(amqpUrl!, { noDelay });
    // With `confirm`, the reply goes out on a confirm channel and the request is acknowledged
    // only once the broker has confirmed the reply: safer, and one more broker round trip.
    const channel = confirm
      ? await connection.createConfirmChannel()
      : await connection.createChannel();
    const queue = `bench-add-${randomUUID()}`;
    await channel.assertQueue(queue, { durable: false, autoDelete: true });
    await channel.prefetch(256);
    await channel.consume(queue, (message) => {
      if (!message) return;
      const [a, b] = JSON.parse(message.content.toString()) as [number, number];
      channel.sendToQueue(
        message.properties.replyTo as string,
        Buffer.from(JSON.stringify(a + b)),
        {
          correlationId: message.properties.correlationId as string,
        },
      );
      channel.ack(message);
    });
    return { address: queue, close: () => connection.close() };
  }

  async function connect(queue: string, { amqpUrl }: ClientOptions): Promise<BenchClient> {
    const connection = await amqp.connect(amqpUrl!, { noDelay });
    const channel = await connection.createChannel();
    const pending = new Map<string, (sum: number) => void>();
    await channel.consume(
      "amq.rabbitmq.reply-to",
      (message) => {
        if (!message) return;
        const id = message.properties.correlationId as string;
        pending.get(id)?.(JSON.parse(message.content.toString()) as number);
        pending.delete(id);
      },
      { noAck: true },
    );
    let nextId = 0;
    return {
      add(a, b) {
        const id = String(++nextId);
        channel.sendToQueue(queue, Buffer.from(JSON.stringify([a, b])), {
          replyTo: "amq.rabbitmq.reply-to",
          correlationId: id,
        });
        return new Promise((resolve) => pending.set(id, resolve));
      },
      close: () => connection.close(),
    };
  }

  return { serve, connect };
}

export const { serve, connect } = makeAmqp();
