import { topicQueueOptions, type QueueKind } from "./queue-kind.js";
import type { Exchange } from "./transport.js";

/**
 * A Target says where a message goes (for a client) or what a server listens to. The names
 * below are the ones oslo.messaging's rabbit driver uses, so that Python services and ours
 * meet on the same exchanges and queues.
 */
export interface Target {
  /** The topic exchange; the transport's default ("openstack") when absent. */
  exchange?: string;
  /** The service, e.g. "conductor" or "compute": servers of a topic share its calls. */
  topic: string;
  /** One server of the topic, e.g. a host name: `server=` sends to that one only. */
  server?: string;
  /** A cast to every server of the topic. */
  fanout?: boolean;
  /** The API version a client asks for, or an endpoint implements: "major.minor". */
  version?: string;
  /** Separates endpoints of one server, e.g. "control" beside the main API. */
  namespace?: string;
}

// Not auto-deleted (amqp_auto_delete defaults to false); durable in the durable and quorum
// kinds only. A declaration must match the existing one exactly, or the broker closes the
// channel: every server and client of one exchange must use the same kind.
const FANOUT_OPTIONS = { durable: false, autoDelete: true };

/** Reply and fanout queues vanish after 30 minutes unused (rabbit_transient_queues_ttl). */
export const TRANSIENT_QUEUE_ARGUMENTS = { "x-expires": 1_800_000 };

/** Calls and casts to a topic (and to a server of it) go through one topic exchange. */
export function topicExchange(
  target: Target,
  defaultExchange: string,
  kind: QueueKind = "transient",
): Exchange {
  const options = { durable: kind !== "transient", autoDelete: false };
  return { name: target.exchange ?? defaultExchange, type: "topic", options };
}

/** Fanout casts skip the topic exchange: "<topic>_fanout" copies to every server's queue. */
export function fanoutExchange(target: Target): Exchange {
  return { name: `${target.topic}_fanout`, type: "fanout", options: FANOUT_OPTIONS };
}

/**
 * Where a server's queues are and what binds them:
 *
 *   exchange "openstack" (topic) ──"calc"──────────▶ queue "calc"           shared: round robin
 *                                ──"calc.server1"──▶ queue "calc.server1"   this server only
 *   exchange "calc_fanout" (fanout) ──────────────▶ queue "calc_fanout_<id>" one per server
 *
 * The first two are durable (and quorum queues) in the transport's durable (quorum) kind.
 */
export function serverQueues(
  target: Target,
  defaultExchange: string,
  fanoutId: string,
  kind: QueueKind = "transient",
): {
  exchange: Exchange;
  queue: string;
  routingKey: string;
  durable: boolean;
  arguments?: object;
}[] {
  if (!target.server) throw new Error("a server's target needs a server name");
  const topic = topicExchange(target, defaultExchange, kind);
  const topicQueue = topicQueueOptions(kind);
  const serverKey = `${target.topic}.${target.server}`;
  return [
    { exchange: topic, queue: target.topic, routingKey: target.topic, ...topicQueue },
    { exchange: topic, queue: serverKey, routingKey: serverKey, ...topicQueue },
    {
      exchange: fanoutExchange(target),
      queue: `${target.topic}_fanout_${fanoutId}`,
      routingKey: target.topic,
      durable: false,
      arguments: TRANSIENT_QUEUE_ARGUMENTS,
    },
  ];
}

/** The routing key of a call or cast: the topic, or "<topic>.<server>" for one server. */
export function routingKey(target: Target): string {
  return target.server ? `${target.topic}.${target.server}` : target.topic;
}

/** For error messages: `topic "calc", server "s1"`. */
export function describeTarget(target: Target): string {
  const parts = [`topic "${target.topic}"`];
  if (target.server) parts.push(`server "${target.server}"`);
  if (target.fanout) parts.push("fanout");
  return parts.join(", ");
}
