import amqp from "amqplib";
import { startPrivateBroker } from "../../shared/broker/rabbitmq.js";

export interface Broker {
  url: string;
  stop(): Promise<void>;
  /** Restarts a private broker (not one given by AMQP_URL, which is not ours to restart). */
  restart?(): Promise<void>;
}

/** AMQP_URL when it is set, else a private RabbitMQ for this run (about 10 s to start). */
export async function brokerFor(print: (line: string) => void): Promise<Broker> {
  const given = process.env.AMQP_URL;
  if (given) return { url: given, stop: async () => {} };
  print("  starting a private RabbitMQ (set AMQP_URL to use a running one)…");
  const broker = await startPrivateBroker();
  return { url: broker.url, stop: () => broker.stop(), restart: () => broker.restart() };
}

/** How many consumers a queue has; 0 when it does not exist yet. */
export async function consumerCount(url: string, queue: string): Promise<number> {
  const connection = await amqp.connect(url);
  connection.on("error", () => {});
  try {
    const channel = await connection.createChannel();
    channel.on("error", () => {});
    // A passive declare asks about a queue without creating it; a missing queue closes the channel.
    const ok = await channel.checkQueue(queue).catch(() => undefined);
    return ok?.consumerCount ?? 0;
  } finally {
    await connection.close().catch(() => {});
  }
}
