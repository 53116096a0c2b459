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

/**
 * Declares the exchange (not durable: these events are not worth keeping across a restart);
 * publishers and subscribers both call it, it is idempotent.
 */
export async function declareExchange(
  channel: Channel,
  exchange: string,
  type: ExchangeType,
): Promise<void> {
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
  return todo("task 4: subscribe");
}

/**
 * Publishes one JSON event (content type application/json); the exchange decides which queues
 * get it. An event JSON cannot carry is refused with RpcError "invalid_argument"; a full write
 * buffer is waited out, as in sendJob.
 */
export async function publishEvent(
  channel: Channel,
  exchange: string,
  routingKey: string,
  event: unknown,
): Promise<void> {
  return todo("task 4: publishEvent");
}
