import type { Channel, ChannelModel, ConsumeMessage } from "amqplib";
import { deadlineSignal, timerDelay } from "../../shared/call-options.js";
import { RpcError } from "../../shared/rpc-error.js";
import { PendingCalls } from "../../solutions/03-raw-tcp/pending-calls.js";
import {
  deserializeRemoteError,
  packContext,
  uniqueId,
  unwrap,
  wrap,
  type Context,
} from "./envelope.js";
import { noOpSerializer, type Serializer } from "./serializer.js";
import {
  describeTarget,
  fanoutExchange,
  routingKey,
  topicExchange,
  TRANSIENT_QUEUE_ARGUMENTS,
  type Target,
} from "./target.js";
import type { Transport } from "./transport.js";

export interface ClientOptions {
  /** How long call() waits for a reply; oslo's rpc_response_timeout is 60 s. */
  timeoutMs?: number;
  serializer?: Serializer;
}

export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** How #publish sends a request. */
interface PublishOptions {
  expiration?: string;
  signal?: AbortSignal;
  mandatory?: boolean;
}

/** What prepare() may change: any part of the target, and the timeout. */
export type PrepareOptions = Partial<Target> & { timeoutMs?: number };

/**
 * The caller's reply queue, "reply_<uuid>": declared once, consumed once, shared by every
 * call of the client (and of the clients prepare() derives from it). Replies find their call
 * by `_msg_id`.
 */
class ReplyQueue {
  readonly name = `reply_${uniqueId()}`;
  readonly pending = new PendingCalls<string>();
  readonly #transport: Transport;
  #started: Promise<() => void> | undefined;
  #channel: Channel | undefined;
  /** Declared and consumed: a call need not wait on start() (a speed-up you can skip). */
  consuming = false;
  readonly #onLost = (reason: RpcError) =>
    this.pending.rejectAll(new RpcError("unavailable", `${reason.message}; the call was lost`));

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Declares and consumes the queue on the first call, and again after a reconnection. */
  start(): Promise<unknown> {
    if (!this.#started) {
      this.#transport.on("disconnected", this.#onLost);
      const started = this.#transport.attach((connection) => this.#consume(connection));
      this.#started = started;
      started.then(
        () => (this.consuming = this.#started === started),
        () => (this.#started = undefined),
      );
    }
    return this.#started;
  }

  async close(): Promise<void> {
    this.#transport.off("disconnected", this.#onLost);
    const started = this.#started;
    this.#started = undefined;
    this.consuming = false;
    if (started) (await started.catch(() => () => {}))();
    this.pending.rejectAll(new RpcError("canceled", "the client was closed"));
    await this.#channel?.close().catch(() => {});
    this.#channel = undefined;
  }

  async #consume(connection: ChannelModel): Promise<void> {
    const channel = await connection.createChannel();
    await channel.assertQueue(this.name, {
      durable: false,
      autoDelete: false,
      arguments: TRANSIENT_QUEUE_ARGUMENTS,
    });
    // noAck: a reply is useful once, to this process only; there is nobody to hand it back to.
    await channel.consume(this.name, (message) => message && this.#receive(message), {
      noAck: true,
    });
    this.#channel = channel;
  }

  /**
   * A reply for a pending call (by `_msg_id`; a reply that does not parse, or is for nobody,
   * is ignored): a `failure` rejects the call with deserializeRemoteError; `ending: false` is
   * a heartbeat and settles nothing; otherwise the call resolves with `result` (null if absent).
   */
  #receive(message: ConsumeMessage): void {
    let reply: Record<string, unknown>;
    try {
      reply = unwrap(message.content);
    } catch {
      return; // not a reply we could have asked for
    }
    const msgId = reply._msg_id;
    if (typeof msgId !== "string") return;
    if (reply.failure) {
      this.pending.reject(msgId, deserializeRemoteError(reply.failure));
    } else if (reply.ending !== false) {
      // `ending: false` without a result is a call-monitor heartbeat: keep waiting.
      this.pending.resolve(msgId, reply.result ?? null);
    }
  }
}

// Why an unfinished publish gives up once its call has settled. Made once: abort() without a
// reason builds a DOMException, stack trace included, on every call.
const CALL_SETTLED = new RpcError("canceled", "the call settled before its request was sent");

/**
 * An RPC client for one target, like oslo's RPCClient: call() waits for the result, cast()
 * returns once the broker has the message, prepare() derives a client for another server,
 * version, namespace or timeout.
 */
export class RpcClient {
  readonly target: Target;
  readonly #transport: Transport;
  readonly #timeoutMs: number;
  readonly #serializer: Serializer;
  #replies: ReplyQueue;

  constructor(transport: Transport, target: Target, options: ClientOptions = {}) {
    this.#transport = transport;
    this.target = target;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#serializer = options.serializer ?? noOpSerializer;
    this.#replies = new ReplyQueue(transport);
  }

  /**
   * A client for the same transport and the same reply queue (no second queue per prepare),
   * with parts of the target replaced, and the timeout if given.
   */
  prepare({ timeoutMs, ...target }: PrepareOptions): RpcClient {
    const prepared = new RpcClient(
      this.#transport,
      { ...this.target, ...target },
      { timeoutMs: timeoutMs ?? this.#timeoutMs, serializer: this.#serializer },
    );
    prepared.#replies = this.#replies;
    return prepared;
  }

  /**
   * Sends and returns once a queue has it; no answer, no error from the endpoint. Published
   * mandatory: a cast no queue takes (no server on the target, or a broker that has not got
   * its queues back after a restart) rejects with "unavailable" instead of being confirmed and
   * dropped. Gives up at the deadline or when the caller's signal aborts.
   */
  async cast(
    context: Context,
    method: string,
    args: Record<string, unknown> = {},
    { timeoutMs = this.#timeoutMs, signal }: CallOptions = {},
  ): Promise<void> {
    const message = this.#message(context, method, args);
    const signals = [signal, deadlineSignal(timeoutMs)].filter((s) => s !== undefined);
    // Mandatory: a cast no queue takes (no server on the target, or a restarted broker that has
    // not got its queues back yet) fails here, rather than being confirmed and dropped.
    await this.#publish(message, {
      signal: AbortSignal.any(signals),
      mandatory: true,
    }).catch((error: unknown) => {
      throw RpcError.from(error);
    });
  }

  /**
   * Sends and waits for the result, or for the remote error, or for the deadline. A fanout
   * target cannot be called ("invalid_argument"). The call carries `_msg_id`, this client's
   * `_reply_q` and `_timeout: null`, and expires on the broker with its deadline. Waiting
   * starts before publishing, so no reply can arrive unheard. At the deadline: "unavailable"
   * if the request never reached the broker, else "deadline_exceeded" naming the method, the
   * target and the timeout.
   */
  async call(
    context: Context,
    method: string,
    args: Record<string, unknown> = {},
    { timeoutMs = this.#timeoutMs, signal }: CallOptions = {},
  ): Promise<unknown> {
    if (this.target.fanout) {
      throw new RpcError("invalid_argument", "a call cannot be used with fanout; use cast");
    }
    if (!this.#replies.consuming) {
      await this.#replies.start().catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : "no connection";
        throw new RpcError(
          "unavailable",
          `could not reach the broker (${reason}): "${method}" was never sent`,
        );
      });
    }
    const msgId = uniqueId();
    // Added to the message in place: a copy with three more keys costs a clone per call.
    const message = this.#message(context, method, args);
    message._msg_id = msgId;
    message._reply_q = this.#replies.name;
    message._timeout = null;
    const reply = this.#replies.pending.wait(msgId, { timeoutMs, signal });
    // Needed only while the broker is away: connected, the request goes out before we return.
    const settled = this.#transport.ready ? undefined : new AbortController();
    let sent = false;
    // The broker drops the request once the caller has stopped waiting for it. Mandatory
    // (oslo's calls are not): a call no queue takes — no server on the target, or a restarted
    // broker whose servers have not declared their queues again — fails at once, "unavailable",
    // instead of waiting for a reply that cannot come.
    const options: PublishOptions = { mandatory: true };
    // The broker holds an expiration in 32 bits; no deadline means the message never expires.
    if (timeoutMs !== Infinity) options.expiration = String(Math.ceil(timerDelay(timeoutMs)));
    if (settled) options.signal = settled.signal;
    this.#publish(message, options).then(
      () => (sent = true),
      (error: unknown) => {
        const reason = RpcError.from(error);
        const where = `"${method}" to ${describeTarget(this.target)}`;
        this.#replies.pending.reject(
          msgId,
          new RpcError(reason.code, `${where}: ${reason.message}`),
        );
      },
    );
    try {
      const result = await reply;
      return this.#serializer.deserializeEntity(context, result);
    } catch (error) {
      if (error instanceof RpcError && error.code === "deadline_exceeded" && !sent) {
        throw new RpcError(
          "unavailable",
          `could not reach the broker within ${timeoutMs} ms: "${method}" was never sent`,
        );
      }
      if (error instanceof RpcError && error.code === "deadline_exceeded") {
        throw new RpcError(
          "deadline_exceeded",
          `no reply to "${method}" from ${describeTarget(this.target)} within ${timeoutMs} ms ` +
            "— is a server listening on that target?",
        );
      }
      throw error;
    } finally {
      settled?.abort(CALL_SETTLED);
    }
  }

  /** Stops consuming the reply queue; the transport stays open for others. */
  async close(): Promise<void> {
    await this.#replies.close();
  }

  #message(context: Context, method: string, args: Record<string, unknown>) {
    const message: Record<string, unknown> = { method, args: {} };
    const serializedContext = this.#serializer.serializeContext(context);
    for (const [name, value] of Object.entries(args)) {
      (message.args as Record<string, unknown>)[name] = this.#serializer.serializeEntity(
        serializedContext,
        value,
      );
    }
    if (this.target.namespace !== undefined) message.namespace = this.target.namespace;
    if (this.target.version !== undefined) message.version = this.target.version;
    packContext(message, serializedContext);
    return message;
  }

  /**
   * A fresh `_unique_id`, the envelope, and out: a fanout target to its fanout exchange with
   * routing key "", any other to the topic exchange with routingKey(target).
   */
  #publish(message: Record<string, unknown>, options: PublishOptions): Promise<void> {
    message._unique_id = uniqueId();
    const target = this.target;
    if (target.fanout) {
      return this.#transport.publish(fanoutExchange(target), "", wrap(message), options);
    }
    const exchange = topicExchange(
      target,
      this.#transport.defaultExchange,
      this.#transport.queueKind,
    );
    return this.#transport.publish(exchange, routingKey(target), wrap(message), options);
  }
}
