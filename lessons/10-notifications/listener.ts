import type { Channel, ChannelModel, ConsumeMessage } from "amqplib";
import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
import { unpackContext, unwrap, type Context } from "../../solutions/09-amqp-rpc/envelope.js";
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
export type HandlerResult = "handled" | "requeue" | void;

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

export class NotificationListener {
  readonly #transport: Transport;
  readonly #targets: ListenerTarget[];
  readonly #endpoints: NotificationEndpoint[];
  readonly #options: ListenerOptions;
  readonly #executor: Executor;
  readonly #log: (line: string) => void;
  #channel: Channel | undefined;
  #consumerTags: string[] = [];
  #detach: (() => void) | undefined;
  #running = false;

  constructor(
    transport: Transport,
    targets: ListenerTarget[],
    endpoints: NotificationEndpoint[],
    options: ListenerOptions = {},
  ) {
    this.#transport = transport;
    this.#targets = targets;
    this.#endpoints = endpoints;
    this.#options = options;
    this.#executor = options.executor ?? new Executor();
    this.#log = options.log ?? ((line) => console.warn(line));
  }

  /** The priorities some endpoint has a method for: only their queues are consumed. */
  get priorities(): Priority[] {
    return PRIORITIES.filter((p) => this.#endpoints.some((e) => typeof e[p] === "function"));
  }

  async start(): Promise<void> {
    this.#running = true;
    this.#detach = await this.#transport.attach((connection) => this.#listen(connection));
  }

  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#detach?.();
    const channel = this.#channel;
    await Promise.all(this.#consumerTags.splice(0).map((t) => channel?.cancel(t).catch(() => {})));
  }

  async wait(): Promise<void> {
    await this.#executor.idle();
    await this.#channel?.close().catch(() => {});
    this.#channel = undefined;
  }

  async #listen(connection: ChannelModel): Promise<void> {
    if (!this.#running) return;
    // Task 3: a channel (log its "error" events), prefetch the executor's concurrency, then for
    // every target: assertExchange(topicExchange(target, this.#transport.defaultExchange)),
    // and for every priority in this.priorities: the routing key "<topic>.<priority>", the
    // queue this.#options.pool ?? routingKey (durable: false, autoDelete: false), bind it,
    // consume it into this.#receive(channel, queue, message). Keep the channel and the tags.
    void [connection, topicExchange];
    return todo("task 3: NotificationListener listen");
  }

  #receive(channel: Channel, queue: string, message: ConsumeMessage): void {
    // Task 3: unwrap the message; without a string priority and event_type it is malformed:
    // log a line with "malformed" in it and channel.reject(message, false). Otherwise submit to
    // the executor: await this.#dispatch(notification), then nack with requeue if the result is
    // "requeue" and allowRequeue is set, else ack (in a try: the channel may be gone).
    void [channel, queue, message, unwrap, RpcError];
    return todo("task 3: NotificationListener receive");
  }

  /** Every endpoint with a method for the priority whose filter matches; oslo's order. */
  async #dispatch(notification: Record<string, unknown>): Promise<HandlerResult> {
    // Task 3: the priority in lower case (log and drop one not in PRIORITIES); the context
    // (unpackContext, then serializer.deserializeContext), publisher_id, event_type,
    // metadata { message_id, timestamp } and the deserialized payload. For each endpoint with
    // a method for the priority whose filterRule (if any) matches: await
    // handler.call(endpoint, context, publisherId, eventType, payload, metadata).
    // "requeue" from a handler, or a thrown error (log it), returns "requeue" at once.
    void [notification, unpackContext, noOpSerializer];
    return todo("task 3: NotificationListener dispatch");
  }
}
