import type { Channel, ConsumeMessage } from "amqplib";
import { RpcError } from "../../shared/rpc-error.js";
import { unpackContext, unwrap, type Context } from "../../solutions/09-amqp-rpc/envelope.js";
import { Consumer } from "../../solutions/09-amqp-rpc/consumer.js";
import { Executor } from "../../solutions/09-amqp-rpc/executor.js";
import { noOpSerializer, type Serializer } from "../../solutions/09-amqp-rpc/serializer.js";
import { topicExchange } from "../../solutions/09-amqp-rpc/target.js";
import type { Transport } from "../../solutions/09-amqp-rpc/transport.js";
import type { NotificationFilter } from "./filter.js";
import { PRIORITIES, type Priority } from "./notifier.js";

/**
 * A notification listener, like oslo's get_notification_listener(): targets (topic, and
 * optionally exchange) and endpoints. An endpoint has a method per priority it wants —
 * `info(context, publisherId, eventType, payload, metadata)` — and may carry a `filterRule`.
 * The listener consumes "<topic>.<priority>" for exactly the priorities its endpoints have.
 *
 *   notifier ──"notifications.info"──▶ exchange "openstack" ──▶ queue "notifications.info" ──▶ listener
 *   notifier ──"notifications.error"─▶                      ──▶ queue "notifications.error" ─▶
 */

export interface Metadata {
  message_id: unknown;
  timestamp: unknown;
}

/**
 * An endpoint's answer: "requeue" asks for the notification again later (allowRequeue);
 * "reject" (the listener's own) drops one that cannot be handled at all.
 */
export type HandlerResult = "handled" | "requeue" | "reject" | void;

export type Handler = (
  context: Context,
  publisherId: string,
  eventType: string,
  payload: unknown,
  metadata: Metadata,
) => HandlerResult | Promise<HandlerResult>;

export type NotificationEndpoint = { filterRule?: NotificationFilter } & {
  [P in Priority]?: Handler;
};

export interface ListenerTarget {
  topic: string;
  exchange?: string;
}

export interface ListenerOptions {
  /**
   * Listeners of one pool share a queue ("<pool>") and so share the notifications, round robin;
   * without a pool every listener reads "<topic>.<priority>" — shared with oslo's listeners too.
   */
  pool?: string;
  /** Requeue a notification an endpoint failed on, or asked to requeue. Off by default, as in oslo. */
  allowRequeue?: boolean;
  executor?: Executor;
  serializer?: Serializer;
  log?: (line: string) => void;
}

export class NotificationListener extends Consumer {
  readonly #targets: ListenerTarget[];
  readonly #endpoints: NotificationEndpoint[];
  readonly #options: ListenerOptions;

  constructor(
    transport: Transport,
    targets: ListenerTarget[],
    endpoints: NotificationEndpoint[],
    options: ListenerOptions = {},
  ) {
    // The same start, stop and wait as lesson 9's server; only what it declares differs.
    super(transport, {
      name: "listener",
      executor: options.executor ?? new Executor(),
      log: options.log ?? ((line) => console.warn(line)),
    });
    this.#targets = targets;
    this.#endpoints = endpoints;
    this.#options = options;
  }

  /** The priorities some endpoint has a method for: only their queues are consumed. */
  get priorities(): Priority[] {
    return PRIORITIES.filter((p) => this.#endpoints.some((e) => typeof e[p] === "function"));
  }

  /** For every target its topic exchange, and a queue per priority an endpoint wants. */
  protected async declare(channel: Channel): Promise<string[]> {
    const queues: string[] = [];
    for (const target of this.#targets) {
      const exchange = topicExchange(target, this.transport.defaultExchange);
      await channel.assertExchange(exchange.name, exchange.type, exchange.options);
      for (const priority of this.priorities) {
        const routingKey = `${target.topic}.${priority}`;
        const queue = this.#options.pool ?? routingKey;
        await channel.assertQueue(queue, { durable: false, autoDelete: false });
        await channel.bindQueue(queue, exchange.name, routingKey);
        queues.push(queue);
      }
    }
    return queues;
  }

  protected receive(channel: Channel, queue: string, message: ConsumeMessage): void {
    let notification: Record<string, unknown>;
    try {
      notification = unwrap(message.content);
      const problem = malformation(notification);
      if (problem) throw new RpcError("bad_message", problem);
    } catch (error) {
      this.log(`rejected a malformed notification on "${queue}": ${RpcError.from(error).message}`);
      channel.reject(message, false);
      return;
    }
    this.executor.submit(async () => {
      // Whatever happens while handling it, the message is settled: one left unacked would hold
      // a slot of the prefetch window for ever, and enough of them would stop the listener.
      let result: HandlerResult;
      try {
        result = await this.#dispatch(notification);
      } catch (error) {
        this.log(`rejected a notification on "${queue}": ${RpcError.from(error).message}`);
        result = "reject";
      }
      try {
        // Acknowledged after the endpoints ran, as oslo does for notifications.
        if (result === "reject") channel.reject(message, false);
        else if (result === "requeue" && this.#options.allowRequeue)
          channel.nack(message, false, true);
        else channel.ack(message);
      } catch {
        // The channel died with the connection; the broker redelivers it.
      }
    });
  }

  /** Every endpoint with a method for the priority whose filter matches; oslo's order. */
  async #dispatch(notification: Record<string, unknown>): Promise<HandlerResult> {
    const serializer = this.#options.serializer ?? noOpSerializer;
    const priority = String(notification.priority).toLowerCase() as Priority;
    if (!PRIORITIES.includes(priority)) {
      this.log(`unknown priority "${priority}"; dropped`);
      return "handled";
    }
    const context = serializer.deserializeContext(unpackContext(notification));
    const publisherId = notification.publisher_id as string;
    const eventType = notification.event_type as string;
    const metadata = { message_id: notification.message_id, timestamp: notification.timestamp };
    const payload = serializer.deserializeEntity(context, notification.payload);
    for (const endpoint of this.#endpoints) {
      const handler = endpoint[priority];
      if (typeof handler !== "function") continue;
      const candidate = { context, publisherId, eventType, metadata, payload };
      if (endpoint.filterRule && !endpoint.filterRule.match(candidate)) continue;
      try {
        const result = await handler.call(
          endpoint,
          context,
          publisherId,
          eventType,
          payload,
          metadata,
        );
        if (result === "requeue") return "requeue";
      } catch (error) {
        this.log(`a "${priority}" endpoint failed on ${eventType}: ${(error as Error).message}`);
        return "requeue";
      }
    }
    return "handled";
  }
}

/**
 * Why an unwrapped message is not a notification, or undefined. Every field that is read as a
 * string must be one: `String({ toString: 1 })` throws, and a message is anyone's to send.
 */
function malformation(notification: Record<string, unknown>): string | undefined {
  for (const field of ["priority", "event_type", "publisher_id"]) {
    if (typeof notification[field] !== "string") return `${field} must be a string`;
  }
  return undefined;
}
