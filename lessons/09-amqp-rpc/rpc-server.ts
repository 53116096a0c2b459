import type { Channel, ConsumeMessage } from "amqplib";
import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
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
export class RpcServer extends Consumer {
  readonly #target: Target;
  readonly #dispatcher: Dispatcher;
  readonly #acknowledge: NonNullable<ServerOptions["acknowledge"]>;
  // One fanout queue per server, kept across reconnections.
  readonly #fanoutId = uniqueId();

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

  /**
   * oslo's three queues from serverQueues() (of the transport's queueKind), each declared
   * (durable as the entry says, not auto-deleted, with its arguments) and bound to its
   * exchange; returns their names for the consumer.
   */
  protected async declare(_channel: Channel): Promise<string[]> {
    return todo("task 5: RpcServer declare");
  }

  /**
   * One request, acknowledged exactly once whatever happens. A malformed one (parseRequest
   * throws) is logged as malformed and rejected without requeue — requeued, the same poison
   * would come back for ever — and, when it still carries a usable `_msg_id` and `_reply_q`,
   * answered at once with a failure (class "ValueError", module "builtins"), so that its caller
   * need not wait for a deadline. A good one runs in the executor through #handle, and is acked
   * when `#acknowledge` says: as its method starts ("before-running", the default, as oslo
   * does) or once its reply is out ("after-reply"). The channel may have died meanwhile: then
   * the ack fails, and the broker requeues the message by itself.
   */
  protected receive(channel: Channel, queue: string, message: ConsumeMessage): void {
    return todo("task 5: RpcServer receive");
  }

  /**
   * Dispatches, and for a call (it has a msgId and a replyQueue) publishes one reply:
   * `{ result, failure: null }` or `{ result: null, failure }`, with `ending: true`, the
   * `_msg_id` and a fresh `_unique_id`, wrapped, to the default exchange "" with the reply
   * queue as routing key, mandatory (a caller that is gone is noticed). A reply that cannot be
   * published is logged: the caller's deadline tells them.
   */
  async #handle({ context, request, msgId, replyQueue }: Incoming): Promise<void> {
    return todo("task 5: RpcServer handle");
  }
}

/**
 * Checks a request: `method` a non-empty string, `args` (default {}) an object of arguments
 * by name, `namespace` and `version` strings or absent, and `_msg_id` and `_reply_q` both
 * strings or both absent. Anything else: RpcError "bad_message" saying what is wrong.
 */
export function parseRequest(body: Buffer): Incoming {
  return todo("task 5: parseRequest");
}
