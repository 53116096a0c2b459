import type { Channel, ChannelModel, ConsumeMessage } from "amqplib";
import type { Executor } from "./executor.js";
import type { Transport } from "./transport.js";
import { todo } from "../../shared/todo.js";

/**
 * What a consumer of the broker does with its queues: an RPC server here, a notification
 * listener in lesson 10. The lifecycle around it is the same for both and lives in Consumer.
 */
export interface ConsumerHooks {
  /** Names it in log lines: "server", "listener". */
  name: string;
  /** Runs the messages; its concurrency is also the channel's prefetch. */
  executor: Executor;
  log: (line: string) => void;
  /** Declares exchanges, queues and bindings on a fresh channel; returns the queues to consume. */
  declare(channel: Channel): Promise<string[]>;
  /** One message off one of those queues. It must settle the message exactly once. */
  receive(channel: Channel, queue: string, message: ConsumeMessage): void;
}

/**
 * start() declares and consumes, now and after every reconnection (a restarted broker has lost
 * queues that are not durable); stop() takes no new messages; wait() lets those in flight
 * finish, then lets go of the channel.
 */
export class Consumer {
  readonly #transport: Transport;
  readonly #hooks: ConsumerHooks;
  #channel: Channel | undefined;
  #consumerTags: string[] = [];
  #detach: (() => void) | undefined;
  #state: "new" | "running" | "stopped" | "done" = "new";

  constructor(transport: Transport, hooks: ConsumerHooks) {
    this.#transport = transport;
    this.#hooks = hooks;
  }

  async start(): Promise<void> {
    if (this.#state !== "new") throw new Error(`a ${this.#hooks.name} starts once; make a new one`);
    this.#state = "running";
    this.#detach = await this.#transport.attach((connection) => this.#listen(connection));
  }

  /**
   * Takes no new messages (only from "running"): detaches from the transport, so a reconnection
   * does not consume again, and cancels every consumer. Those in flight go on; wait() waits.
   */
  async stop(): Promise<void> {
    return todo("task 7: Consumer.stop");
  }

  /** After stop(): resolves once the executor is idle; then closes the channel. */
  async wait(): Promise<void> {
    return todo("task 7: Consumer.wait");
  }

  /**
   * Runs on every (re)connection: one channel (its "error" events logged), a prefetch of the
   * executor's concurrency, then every queue the hooks declare, consumed into their receive.
   * The channel and consumer tags are kept for stop().
   */
  async #listen(_connection: ChannelModel): Promise<void> {
    if (this.#state !== "running") return;
    return todo("task 5: Consumer listen");
  }
}
