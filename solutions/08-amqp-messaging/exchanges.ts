import type { Channel } from "amqplib";
import { RpcError } from "../../shared/rpc-error.js";
import { waitForDrain } from "./connect.js";

/**
 * direct: a queue gets a message when its binding key equals the routing key.
 * topic:  keys are words joined by dots; in a binding, `*` stands for one word, `#` for any.
 * fanout: every bound queue gets every message; keys are ignored.
 */
export type ExchangeType = "direct" | "topic" | "fanout";

// Task 4 ---------------------------------------------------------------------------------------

/** Declares the exchange; publishers and subscribers both call it, it is idempotent. */
export async function declareExchange(
  channel: Channel,
  exchange: string,
  type: ExchangeType,
): Promise<void> {
  await channel.assertExchange(exchange, type, { durable: false });
}

/**
 * Gives this subscriber a queue of its own, bound to `exchange` once per binding key, and
 * returns the queue's name. The broker names the queue, and deletes it when this channel's
 * connection closes (exclusive): a subscriber that leaves takes its queue with it.
 */
export async function subscribe(
  channel: Channel,
  exchange: string,
  type: ExchangeType,
  bindingKeys: string[],
): Promise<string> {
  await declareExchange(channel, exchange, type);
  const { queue } = await channel.assertQueue("", { exclusive: true });
  // A fanout exchange ignores keys; one binding is enough.
  const keys = type === "fanout" ? [""] : bindingKeys;
  for (const key of keys) await channel.bindQueue(queue, exchange, key);
  return queue;
}

/** Publishes one JSON event; the exchange decides which queues get it. */
export async function publishEvent(
  channel: Channel,
  exchange: string,
  routingKey: string,
  event: unknown,
): Promise<void> {
  const text = JSON.stringify(event);
  if (text === undefined)
    throw new RpcError("invalid_argument", `an event cannot be ${typeof event}`);
  const accepted = channel.publish(exchange, routingKey, Buffer.from(text), {
    contentType: "application/json",
  });
  if (!accepted) await waitForDrain(channel);
}
