import type { Channel, ConsumeMessage } from "amqplib";
import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
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

/** An endpoint's answer: "requeue" asks for the notification again later (allowRequeue). */
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

  /**
   * Runs on each (re)opened connection: for every target, its topic exchange, and for every
   * priority an endpoint wants, the queue `pool ?? "<topic>.<priority>"` (not durable, not
   * auto-deleted, the same queue oslo's notifier declares) bound with the routing key
   * "<topic>.<priority>". Returns the queue names, which the consumer consumes into receive().
   */
  protected async declare(_channel: Channel): Promise<string[]> {
    return todo("task 3: NotificationListener declare");
  }

  /**
   * One message, settled exactly once whatever happens: a malformed one (priority, event_type
   * and publisher_id must be strings) is logged with the word "malformed" and rejected without
   * requeue; a good one runs through #dispatch in the executor, then is acked, or requeued when
   * the result is "requeue" and allowRequeue is on. A message left unacked would hold a slot
   * of the prefetch window for ever.
   */
  protected receive(channel: Channel, queue: string, message: ConsumeMessage): void {
    return todo("task 3: NotificationListener receive");
  }

  /**
   * Every endpoint with a method for the priority whose filterRule (if any) matches, in order,
   * called as handler(context, publisherId, eventType, payload, metadata) with the context and
   * payload through the serializer. A priority oslo does not know is logged and dropped. A
   * handler that returns "requeue" or throws (logged) ends the dispatch with "requeue".
   */
  async #dispatch(notification: Record<string, unknown>): Promise<HandlerResult> {
    return todo("task 3: NotificationListener dispatch");
  }
}
