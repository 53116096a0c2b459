import type { Channel, ConsumeMessage } from "amqplib";
import { RpcError } from "../../shared/rpc-error.js";
import { Consumer } from "./consumer.js";
import { Dispatcher, type Endpoint, type Request } from "./dispatcher.js";
import {
  isObject,
  serializeRemoteError,
  uniqueId,
  unpackContext,
  unwrap,
  wrap,
  type Context,
} from "./envelope.js";
import { Executor } from "./executor.js";
import { noOpSerializer, type Serializer } from "./serializer.js";
import { describeTarget, serverQueues, type Target } from "./target.js";
import type { Transport } from "./transport.js";

export interface ServerOptions {
  /** How many requests run at once (and the channel's prefetch). */
  executor?: Executor;
  serializer?: Serializer;
  /** Where rejected messages and failed replies are reported; console.warn unless given. */
  log?: (line: string) => void;
  /**
   * When a request is acknowledged. "before-running" (the default, as oslo.messaging does):
   * acked as its method starts, so it runs at most once, even if this server dies midway —
   * and a request that was only waiting for a slot goes to another server. "after-reply":
   * acked once replied, so a server that dies midway leaves it to another server, which runs
   * it again: at least once, and the method had better be idempotent.
   */
  acknowledge?: "before-running" | "after-reply";
}

/** What a reply says, before its envelope: a result, or a failure (oslo's JSON text). */
interface Reply {
  result: unknown;
  failure: string | null;
}

/** A request as it came off the wire, checked. */
interface Incoming {
  context: Context;
  request: Request;
  msgId?: string;
  replyQueue?: string;
  /** The caller's `_timeout` in seconds: it wants call-monitor heartbeats meanwhile. */
  clientTimeout?: number;
  /** `_unique_id`, or "" when the sender gave none: what duplicates are recognised by. */
  uniqueId: string;
}

// What a call without a call-monitor timeout stops: one function, not one per call.
const NO_HEARTBEATS = () => {};

/**
 * Acknowledges; false when the channel has died with its connection, and the broker will
 * hand the message out again (to this server or another).
 */
function acknowledge(channel: Channel, message: ConsumeMessage): boolean {
  try {
    channel.ack(message);
    return true;
  } catch {
    return false;
  }
}

/** The last `size` ids seen, oldest forgotten first: a bounded memory of what already ran. */
class RecentIds {
  readonly #ids = new Set<string>();
  constructor(readonly size: number) {}

  has(id: string): boolean {
    return id !== "" && this.#ids.has(id);
  }

  add(id: string): void {
    if (id === "") return;
    this.#ids.add(id);
    if (this.#ids.size > this.size) this.#ids.delete(this.#ids.values().next().value!);
  }
}

/**
 * An RPC server: a transport, a target (topic + server name) and endpoints, like oslo's
 * get_rpc_server(). start() declares its three queues and consumes; stop() takes no new
 * messages; wait() lets the ones in flight finish, then lets go of the channel.
 */
export class RpcServer extends Consumer {
  readonly #target: Target;
  readonly #dispatcher: Dispatcher;
  // One fanout queue per server, kept across reconnections.
  readonly #fanoutId = uniqueId();
  readonly #acknowledge: NonNullable<ServerOptions["acknowledge"]>;
  readonly #seen = new RecentIds(1024);

  constructor(
    transport: Transport,
    target: Target,
    endpoints: Endpoint[],
    options: ServerOptions = {},
  ) {
    if (!target.topic || !target.server) {
      throw new RpcError("invalid_argument", "a server's target needs a topic and a server name");
    }
    super(transport, {
      name: "server",
      executor: options.executor ?? new Executor(),
      log: options.log ?? ((line) => console.warn(line)),
    });
    this.#target = target;
    this.#dispatcher = new Dispatcher(endpoints, options.serializer ?? noOpSerializer);
    this.#acknowledge = options.acknowledge ?? "before-running";
  }

  /** oslo's three queues: by topic, by topic and server, and this server's fanout queue. */
  protected async declare(channel: Channel): Promise<string[]> {
    const { defaultExchange, queueKind } = this.transport;
    const queues = serverQueues(this.#target, defaultExchange, this.#fanoutId, queueKind);
    for (const { exchange, queue, routingKey, durable, arguments: args } of queues) {
      await channel.assertExchange(exchange.name, exchange.type, exchange.options);
      await channel.assertQueue(queue, { durable, autoDelete: false, arguments: args });
      await channel.bindQueue(queue, exchange.name, routingKey);
    }
    return queues.map(({ queue }) => queue);
  }

  protected receive(channel: Channel, queue: string, message: ConsumeMessage): void {
    let incoming: Incoming;
    try {
      incoming = parseRequest(message.content);
    } catch (error) {
      // A poison message would come back forever if requeued: reject it, say so, carry on.
      const reason = RpcError.from(error);
      this.log(`rejected a malformed message on queue "${queue}": ${reason.message}`);
      channel.reject(message, false);
      // A caller that left a reply address is told at once, rather than at its deadline.
      const address = replyAddressOf(message.content);
      if (address) {
        const failure = new RpcError("bad_message", reason.message);
        failure.name = "ValueError"; // Python's builtins: what an oslo caller can raise
        void this.#reply(address.msgId, address.replyQueue, {
          result: null,
          failure: serializeRemoteError(failure),
        });
      }
      return;
    }
    const early = this.#acknowledge === "before-running";
    this.executor.submit(async () => {
      // A message delivered twice (a requeue after a lost connection) runs once, as in oslo.
      // Checked as it starts, not as it arrives: a copy that arrives while the first still
      // waits for a slot on a channel that has died is the one that runs.
      if (this.#seen.has(incoming.uniqueId)) {
        this.log(`ignored a duplicate of message ${incoming.uniqueId} on queue "${queue}"`);
        acknowledge(channel, message);
        return;
      }
      // It waited for a slot while its channel died: the broker has it again, and whoever
      // gets it next runs it. Running it here too would run it twice.
      if (early && !acknowledge(channel, message)) return;
      this.#seen.add(incoming.uniqueId);
      try {
        await this.#handle(incoming);
      } catch (error) {
        this.log(`a request failed on queue "${queue}": ${RpcError.from(error).message}`);
      } finally {
        if (!early) acknowledge(channel, message);
      }
    });
  }

  async #handle({ context, request, msgId, replyQueue, clientTimeout }: Incoming): Promise<void> {
    const stopHeartbeats =
      msgId && replyQueue && clientTimeout
        ? this.#callMonitor(msgId, replyQueue, clientTimeout)
        : NO_HEARTBEATS;
    let reply: Reply;
    try {
      const result = await this.#dispatcher.dispatch(context, request);
      reply = { result: result ?? null, failure: null };
    } catch (error) {
      reply = { result: null, failure: serializeRemoteError(error) };
    } finally {
      stopHeartbeats();
    }
    if (!msgId || !replyQueue) return; // a cast: nobody waits for an answer
    await this.#reply(msgId, replyQueue, reply);
  }

  /**
   * oslo's call monitor: a caller that sent `_timeout` (its call_monitor_timeout, in seconds)
   * gives up when it hears nothing for that long, so a long call sends a heartbeat, a reply
   * with `ending: false`, every half of it. oslo ignores a timeout under 2 s; so do we.
   */
  #callMonitor(msgId: string, replyQueue: string, clientTimeout: number): () => void {
    const intervalMs = (Math.trunc(clientTimeout) / 2) * 1000;
    if (!(intervalMs >= 1000)) return NO_HEARTBEATS;
    const timer = setInterval(
      () => {
        void this.#reply(msgId, replyQueue, { result: null, failure: null }, false);
      },
      Math.min(intervalMs, 2 ** 31 - 1),
    );
    return () => clearInterval(timer);
  }

  async #reply(msgId: string, replyQueue: string, reply: Reply, ending = true): Promise<void> {
    // One reply message, "ending": true, as oslo.messaging 14 sends it.
    const body = wrap({
      result: reply.result,
      failure: reply.failure,
      ending,
      _msg_id: msgId,
      _unique_id: uniqueId(),
    });
    try {
      // To the default exchange, routed by queue name; mandatory, so a vanished caller is noticed.
      await this.transport.publish("", replyQueue, body, { mandatory: true });
    } catch (error) {
      this.log(
        `could not reply to ${msgId} (${describeTarget(this.#target)}): ${(error as Error).message}`,
      );
    }
  }
}

/** The reply address of a message that is otherwise malformed, when it has a usable one. */
function replyAddressOf(body: Buffer): { msgId: string; replyQueue: string } | undefined {
  try {
    const { _msg_id, _reply_q } = unwrap(body);
    if (typeof _msg_id === "string" && typeof _reply_q === "string" && _reply_q !== "") {
      return { msgId: _msg_id, replyQueue: _reply_q };
    }
  } catch {
    // not even an envelope: nobody to answer
  }
  return undefined;
}

/** Checks a request: a method name, arguments by name, and a well-formed reply address. */
export function parseRequest(body: Buffer): Incoming {
  const message = unwrap(body);
  const {
    method,
    args = {},
    namespace,
    version,
    _msg_id,
    _reply_q,
    _timeout,
    _unique_id,
  } = message;
  if (typeof method !== "string" || method === "") {
    throw new RpcError("bad_message", 'the request has no "method"');
  }
  if (!isObject(args)) throw new RpcError("bad_message", '"args" must be an object of arguments');
  if (namespace != null && typeof namespace !== "string") {
    throw new RpcError("bad_message", '"namespace" must be a string');
  }
  if (version != null && typeof version !== "string") {
    throw new RpcError("bad_message", '"version" must be a string like "1.0"');
  }
  if (
    (_msg_id != null || _reply_q != null) &&
    (typeof _msg_id !== "string" || typeof _reply_q !== "string")
  ) {
    throw new RpcError("bad_message", "a call needs both _msg_id and _reply_q as strings");
  }
  if (_timeout != null && typeof _timeout !== "number") {
    throw new RpcError("bad_message", '"_timeout" must be a number of seconds or null');
  }
  return {
    // oslo's server context also carries a call's call-monitor timeout (null: none asked).
    context:
      "_timeout" in message
        ? { ...unpackContext(message), client_timeout: _timeout ?? null }
        : unpackContext(message),
    request: { method, args, namespace, version },
    ...(_msg_id ? { msgId: _msg_id as string, replyQueue: _reply_q as string } : {}),
    ...(typeof _timeout === "number" ? { clientTimeout: _timeout } : {}),
    uniqueId: typeof _unique_id === "string" ? _unique_id : "",
  };
}
