import { randomUUID } from "node:crypto";
import { packContext, uniqueId, wrap, type Context } from "../../solutions/09-amqp-rpc/envelope.js";
import { noOpSerializer, type Serializer } from "../../solutions/09-amqp-rpc/serializer.js";
import { topicExchange } from "../../solutions/09-amqp-rpc/target.js";
import type { Transport } from "../../solutions/09-amqp-rpc/transport.js";

/**
 * A notifier, like oslo.messaging's: a service announces what happened ("compute.instance.
 * create.end") at a priority, and whoever listens learns of it. Nobody replies; nobody needs to
 * be listening. On the wire, a notification is a message on the topic exchange with the
 * routing key "<topic>.<priority>", e.g. "notifications.info".
 */

/** oslo's priorities, in the order its listeners know them. */
export const PRIORITIES = [
  "audit",
  "debug",
  "info",
  "warn",
  "error",
  "critical",
  "sample",
] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface Notification {
  message_id: string;
  publisher_id: string;
  event_type: string;
  /** Upper case on the wire: "INFO". */
  priority: string;
  payload: unknown;
  /** UTC, as Python prints a datetime: "2024-05-01 12:00:00.123000". */
  timestamp: string;
}

export interface NotifierOptions {
  /** Who speaks, e.g. "compute.host1". */
  publisherId: string;
  /** oslo's [oslo_messaging_notifications] topics; "notifications" by default. */
  topics?: string[];
  /** The topic exchange; the transport's default ("openstack") when absent. */
  exchange?: string;
  serializer?: Serializer;
}

export class Notifier {
  readonly publisherId: string;
  readonly #transport: Transport;
  readonly #options: Required<Omit<NotifierOptions, "exchange">> & { exchange?: string };
  #declared: Set<string>;

  constructor(transport: Transport, options: NotifierOptions) {
    this.#transport = transport;
    this.publisherId = options.publisherId;
    this.#options = { topics: ["notifications"], serializer: noOpSerializer, ...options };
    this.#declared = new Set();
    // A restarted broker has lost the queues: declare them again after a reconnection.
    transport.on("reconnected", () => this.#declared.clear());
  }

  /** The same notifier speaking as someone else: prepare({ publisherId: "compute.host2" }). */
  prepare({ publisherId }: { publisherId: string }): Notifier {
    const prepared = new Notifier(this.#transport, { ...this.#options, publisherId });
    prepared.#declared = this.#declared;
    return prepared;
  }

  audit(context: Context, eventType: string, payload: unknown) {
    return this.notify(context, eventType, payload, "audit");
  }
  debug(context: Context, eventType: string, payload: unknown) {
    return this.notify(context, eventType, payload, "debug");
  }
  info(context: Context, eventType: string, payload: unknown) {
    return this.notify(context, eventType, payload, "info");
  }
  warn(context: Context, eventType: string, payload: unknown) {
    return this.notify(context, eventType, payload, "warn");
  }
  error(context: Context, eventType: string, payload: unknown) {
    return this.notify(context, eventType, payload, "error");
  }
  critical(context: Context, eventType: string, payload: unknown) {
    return this.notify(context, eventType, payload, "critical");
  }
  /** For frequent measurements ("cpu = 70%"): listeners that want them ask for "sample". */
  sample(context: Context, eventType: string, payload: unknown) {
    return this.notify(context, eventType, payload, "sample");
  }

  /** Sends one notification to every topic, once the broker has taken it. */
  async notify(
    context: Context,
    eventType: string,
    payload: unknown,
    priority: Priority,
  ): Promise<void> {
    const { serializer, topics } = this.#options;
    const notification: Notification = {
      message_id: randomUUID(),
      publisher_id: this.publisherId,
      event_type: eventType,
      priority: priority.toUpperCase(),
      payload: serializer.serializeEntity(context, payload),
      timestamp: pythonTimestamp(new Date()),
    };
    const message: Record<string, unknown> = { ...notification, _unique_id: uniqueId() };
    packContext(message, serializer.serializeContext(sanitizeContext(context)));
    for (const topic of topics) {
      const routingKey = `${topic}.${priority}`;
      await this.#declareQueue(routingKey);
      await this.#transport.publish(this.#exchange(), routingKey, wrap(message));
    }
  }

  #exchange() {
    const target = {
      topic: "",
      ...(this.#options.exchange ? { exchange: this.#options.exchange } : {}),
    };
    return topicExchange(target, this.#transport.defaultExchange);
  }

  /**
   * oslo declares a queue named after the routing key before the first notification of each
   * priority, so that notifications sent before any listener starts wait for it.
   */
  async #declareQueue(routingKey: string): Promise<void> {
    if (this.#declared.has(routingKey)) return;
    const exchange = this.#exchange();
    const channel = await (await this.#transport.connection()).createChannel();
    try {
      await channel.assertExchange(exchange.name, exchange.type, exchange.options);
      await channel.assertQueue(routingKey, { durable: false, autoDelete: false });
      await channel.bindQueue(routingKey, exchange.name, routingKey);
    } finally {
      await channel.close().catch(() => {});
    }
    this.#declared.add(routingKey);
  }
}

/** "2024-05-01T12:00:00.123Z" → "2024-05-01 12:00:00.123000", str() of Python's utcnow(). */
export function pythonTimestamp(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "000");
}

/**
 * The keys of a request context that may travel with a notification, as oslo.messaging lists
 * them: who, which project, which request. Anything else, an auth token above all, stays home:
 * a notification bus has many readers.
 */
export const SAFE_CONTEXT_KEYS = [
  "user_id",
  "project_id",
  "domain_id",
  "user_domain_id",
  "project_domain_id",
  "is_admin",
  "request_id",
  "roles",
  "user_name",
  "project_name",
  "domain_name",
  "user_domain_name",
  "project_domain_name",
  "service_user_id",
  "service_user_domain_id",
  "service_user_domain_name",
  "service_project_id",
  "service_project_name",
  "service_project_domain_id",
  "service_project_domain_name",
  "service_roles",
  "global_request_id",
  "system_scope",
  "user",
  "domain",
  "user_domain",
  "project_domain",
] as const;

/** The context with only SAFE_CONTEXT_KEYS: what oslo's notifier sends. */
export function sanitizeContext(context: Context): Context {
  return Object.fromEntries(
    Object.entries(context).filter(([key]) =>
      (SAFE_CONTEXT_KEYS as readonly string[]).includes(key),
    ),
  ) as Context;
}
