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
  readonly #onLost = (reason: RpcError) =>
    this.pending.rejectAll(new RpcError("unavailable", `${reason.message}; the call was lost`));

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Declares and consumes the queue on the first call, and again after a reconnection. */
  start(): Promise<unknown> {
    if (!this.#started) {
      this.#transport.on("disconnected", this.#onLost);
      this.#started = this.#transport.attach((connection) => this.#consume(connection));
      this.#started.catch(() => (this.#started = undefined));
    }
    return this.#started;
  }

  async close(): Promise<void> {
    this.#transport.off("disconnected", this.#onLost);
    const started = this.#started;
    this.#started = undefined;
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

  #receive(message: ConsumeMessage): void {
    // Task 6: unwrap the reply (ignore one that does not parse, or has no string _msg_id).
    // A `failure` rejects the pending call with deserializeRemoteError(failure); otherwise,
    // unless `ending` is false (a heartbeat), resolve it with `result` (null if absent).
    // Useful: this.pending.resolve(msgId, value), this.pending.reject(msgId, error)
    void [message, unwrap, deserializeRemoteError];
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

  /** A client for the same transport and reply queue, with parts of the target replaced. */
  prepare({ timeoutMs, ...target }: PrepareOptions): RpcClient {
    // Task 6: a new RpcClient with { ...this.target, ...target }, the timeout (or this one's)
    // and the serializer; then share this client's reply queue: prepared.#replies = this.#replies.
    void [timeoutMs, target];
    return todo("task 6: RpcClient.prepare");
  }

  /** Sends and returns once the broker has it; no answer, no error from the endpoint. */
  async cast(
    context: Context,
    method: string,
    args: Record<string, unknown> = {},
    { timeoutMs = this.#timeoutMs, signal }: CallOptions = {},
  ): Promise<void> {
    // Task 6: this.#message(...), then this.#publish(...) with a signal that aborts at the
    // deadline or with the caller's signal. Turn a failure into an RpcError.
    // Useful: AbortSignal.timeout(ms), AbortSignal.any([a, b]), RpcError.from(error)
    void [context, method, args, timeoutMs, signal];
    return todo("task 6: RpcClient.cast");
  }

  /** Sends and waits for the result, or for the remote error, or for the deadline. */
  async call(
    context: Context,
    method: string,
    args: Record<string, unknown> = {},
    { timeoutMs = this.#timeoutMs, signal }: CallOptions = {},
  ): Promise<unknown> {
    // Task 6: refuse a fanout target (invalid_argument). await this.#replies.start(); make a
    // msgId (uniqueId()) and the message with _msg_id, _reply_q (this.#replies.name) and
    // _timeout: null. Start waiting (this.#replies.pending.wait(msgId, { timeoutMs, signal }))
    // BEFORE publishing, then publish with expiration: String(timeoutMs) (a publish failure
    // rejects the pending call). Return the deserialized result. Turn "deadline_exceeded" into
    // a message that names the method, the target (describeTarget) and the timeout.
    void [context, method, args, timeoutMs, signal, describeTarget];
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

  #publish(
    message: Record<string, unknown>,
    options: { expiration?: string; signal: AbortSignal },
  ): Promise<void> {
    // Task 6: give the message a fresh _unique_id, wrap it, and this.#transport.publish it:
    // a fanout target to fanoutExchange(target) with routing key "", anything else to
    // topicExchange(target, this.#transport.defaultExchange) with routingKey(target).
    void [message, options, fanoutExchange, topicExchange, routingKey, wrap];
    return todo("task 6: RpcClient publish");
  }
}
