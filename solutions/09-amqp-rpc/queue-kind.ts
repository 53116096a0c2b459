import { RpcError } from "../../shared/rpc-error.js";

/**
 * What a server's topic queues (and their exchange) are made of, and so what a broker restart
 * leaves of them. oslo.messaging's two options choose it, from nova.conf or from the transport
 * URL's query (`rabbit://host/?amqp_durable_queues=true`), and so do ours:
 *
 *   "transient"  the default of both: the queues and every message in them end with the broker
 *   "durable"    amqp_durable_queues: queues and exchange are written to disk, and so are the
 *                (persistent) messages; a restarted broker still has them
 *   "quorum"     rabbit_quorum_queue: durable, and replicated on the nodes of a cluster; a
 *                queue lives on while a majority of its nodes does
 *
 * Reply queues and fanout queues stay transient in every mode, as in oslo.
 */
export type QueueKind = "transient" | "durable" | "quorum";

export interface QueueKindOptions {
  /** oslo's `amqp_durable_queues`. */
  durableQueues?: boolean;
  /** oslo's `rabbit_quorum_queue` (durable as well). */
  quorumQueues?: boolean;
}

/** The options in the URL's query win over those given in code, as oslo's do. */
export function queueKindOf(urlText: string, options: QueueKindOptions = {}): QueueKind {
  const query = new URLSearchParams(/\?([^#]*)/.exec(urlText)?.[1] ?? "");
  const quorum = flag(query, "rabbit_quorum_queue") ?? options.quorumQueues ?? false;
  const durable = flag(query, "amqp_durable_queues") ?? options.durableQueues ?? false;
  return quorum ? "quorum" : durable ? "durable" : "transient";
}

/** oslo_config's booleans: true/1/on/yes and false/0/off/no, in any case. */
function flag(query: URLSearchParams, name: string): boolean | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  if (/^(true|1|on|yes)$/i.test(value)) return true;
  if (/^(false|0|off|no)$/i.test(value)) return false;
  throw new RpcError(
    "invalid_argument",
    `${name}=${value} in the transport URL: expected true or false`,
  );
}

/** The queue declaration of a topic queue of this kind. */
export function topicQueueOptions(kind: QueueKind): {
  durable: boolean;
  arguments?: Record<string, unknown>;
} {
  if (kind === "quorum") return { durable: true, arguments: { "x-queue-type": "quorum" } };
  return { durable: kind === "durable" };
}
