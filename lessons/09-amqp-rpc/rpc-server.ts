import type { Channel, ChannelModel, ConsumeMessage } from "amqplib";
import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
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
}

/** A request as it came off the wire, checked. */
interface Incoming {
  context: Context;
  request: Request;
  msgId?: string;
  replyQueue?: string;
}

/**
 * An RPC server: a transport, a target (topic + server name) and endpoints, like oslo's
 * get_rpc_server(). start() declares its three queues and consumes; stop() takes no new
 * messages; wait() lets the ones in flight finish, then lets go of the channel.
 */
export class RpcServer {
  readonly #transport: Transport;
  readonly #target: Target;
  readonly #dispatcher: Dispatcher;
  readonly #executor: Executor;
  readonly #log: (line: string) => void;
  // One fanout queue per server, kept across reconnections.
  readonly #fanoutId = uniqueId();
  #channel: Channel | undefined;
  #consumerTags: string[] = [];
  #detach: (() => void) | undefined;
  #state: "new" | "running" | "stopped" | "done" = "new";

  constructor(
    transport: Transport,
    target: Target,
    endpoints: Endpoint[],
    options: ServerOptions = {},
  ) {
    if (!target.topic || !target.server) {
      throw new RpcError("invalid_argument", "a server's target needs a topic and a server name");
    }
    this.#transport = transport;
    this.#target = target;
    this.#dispatcher = new Dispatcher(endpoints, options.serializer ?? noOpSerializer);
    this.#executor = options.executor ?? new Executor();
    this.#log = options.log ?? ((line) => console.warn(line));
  }

  async start(): Promise<void> {
    if (this.#state !== "new") throw new Error("an RpcServer starts once; make a new one");
    this.#state = "running";
    // Runs now and after every reconnection: the broker may have lost our queues.
    this.#detach = await this.#transport.attach((connection) => this.#listen(connection));
  }

  /** Takes no new messages. Those in flight go on; wait() waits for them. */
  async stop(): Promise<void> {
    // Task 7: only from "running": set the state to "stopped", detach from the transport
    // (this.#detach) so that a reconnection does not start consuming again, and cancel every
    // consumer (this.#consumerTags) on this.#channel. A cancel may fail if the connection is
    // gone: that is fine.
    return todo("task 7: RpcServer.stop");
  }

  /** After stop(): resolves once every request in flight has replied; closes the channel. */
  async wait(): Promise<void> {
    // Task 7: throw if still running (stop() first). Wait for this.#executor.idle(), set the
    // state to "done", then close this.#channel (ignore errors) and forget it.
    return todo("task 7: RpcServer.wait");
  }

  async #listen(connection: ChannelModel): Promise<void> {
    if (this.#state !== "running") return;
    // Task 5: on a new channel (log its "error" events with this.#log): prefetch the
    // executor's concurrency; then for each of serverQueues(this.#target,
    // this.#transport.defaultExchange, this.#fanoutId): assertExchange, assertQueue (durable:
    // false, autoDelete: false, the entry's arguments), bindQueue, and consume it, handing
    // each message to this.#receive(channel, queue, message). Keep the channel and the
    // consumer tags in this.#channel and this.#consumerTags (stop() needs them).
    void [connection, serverQueues];
    return todo("task 5: RpcServer listen");
  }

  #receive(channel: Channel, queue: string, message: ConsumeMessage): void {
    // Task 5: parseRequest(message.content); if it throws, log a line that says the message
    // was malformed (and why) and reject it WITHOUT requeue: channel.reject(message, false).
    // Otherwise submit to this.#executor a task that awaits this.#handle(incoming) and then
    // acks the message (in a try: the channel may have died with the connection).
    void [channel, queue, message, this.#executor];
    return todo("task 5: RpcServer receive");
  }

  async #handle({ context, request, msgId, replyQueue }: Incoming): Promise<void> {
    // Task 5: dispatch; the reply is { result, failure: null } or, if it threw,
    // { result: null, failure: serializeRemoteError(error) }. A cast (no msgId/replyQueue)
    // ends here. A call: wrap({ ...reply, ending: true, _msg_id: msgId, _unique_id: uniqueId() })
    // and publish it to the default exchange "" with the reply queue as routing key and
    // { mandatory: true }. If publishing fails, log it: the caller's deadline will tell them.
    void [
      context,
      request,
      msgId,
      replyQueue,
      wrap,
      serializeRemoteError,
      uniqueId,
      describeTarget,
    ];
    return todo("task 5: RpcServer handle");
  }
}

/** Checks a request: a method name, arguments by name, and a well-formed reply address. */
export function parseRequest(body: Buffer): Incoming {
  // Task 5: unwrap(body), then check: `method` a non-empty string, `args` (default {}) an
  // object (isObject), `namespace` and `version` strings or null/absent, and `_msg_id` and
  // `_reply_q` either both absent or both strings. Any failure: throw new
  // RpcError("bad_message", "<what is wrong>"). Return the context (unpackContext), the
  // request, and msgId / replyQueue for a call.
  void [body, unwrap, isObject, unpackContext, RpcError];
  return todo("task 5: parseRequest");
}
