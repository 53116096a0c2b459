import type { Channel } from "amqplib";
import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
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
  // Task 4: await channel.assertExchange(exchange, type, { durable: false })
  void [channel, exchange, type];
  return todo("task 4: declareExchange");
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
  // Task 4: declareExchange; then
  //   const { queue } = await channel.assertQueue("", { exclusive: true })   (the broker names it)
  //   await channel.bindQueue(queue, exchange, key)   once per key ("" once for a fanout)
  void [channel, exchange, type, bindingKeys];
  return todo("task 4: subscribe");
}

/** Publishes one JSON event; the exchange decides which queues get it. */
export async function publishEvent(
  channel: Channel,
  exchange: string,
  routingKey: string,
  event: unknown,
): Promise<void> {
  // Task 4: channel.publish(exchange, routingKey, body, { contentType: "application/json" }),
  // refusing with RpcError("invalid_argument") an event JSON cannot carry; then, if publish
  // returned false, await waitForDrain(channel).
  void [channel, exchange, routingKey, event, RpcError, waitForDrain];
  return todo("task 4: publishEvent");
}
