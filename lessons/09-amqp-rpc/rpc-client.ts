import type { Channel, ChannelModel, ConsumeMessage } from "amqplib";
import { RpcError } from "../../shared/rpc-error.js";
import { PendingCalls } from "../../solutions/03-raw-tcp/pending-calls.js";
import { todo } from "../../shared/todo.js";
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
    return todo("task 6: ReplyQueue receive");
  }
}

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
    return todo("task 6: RpcClient.prepare");
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
    return todo("task 6: RpcClient.cast");
  }

  /**
   * Sends and waits for the result, or for the remote error, or for the deadline. A fanout
   * target cannot be called ("invalid_argument"). The call carries `_msg_id`, this client's
   * `_reply_q` and `_timeout: null`, and expires on the broker with its deadline. Waiting
   * starts before publishing, so no reply can arrive unheard. Published mandatory, like a
   * cast: a call no queue takes fails at once with "unavailable", naming the method and the
   * target. At the deadline: "unavailable" if the request never reached the broker, else
   * "deadline_exceeded" naming the method, the target and the timeout.
   */
  async call(
    context: Context,
    method: string,
    args: Record<string, unknown> = {},
    { timeoutMs = this.#timeoutMs, signal }: CallOptions = {},
  ): Promise<unknown> {
    return todo("task 6: RpcClient.call");
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
   * routing key "", any other to the topic exchange (of the transport's queueKind) with
   * routingKey(target).
   */
  #publish(
    message: Record<string, unknown>,
    options: { expiration?: string; signal: AbortSignal; mandatory?: boolean },
  ): Promise<void> {
    return todo("task 6: RpcClient publish");
  }
}
