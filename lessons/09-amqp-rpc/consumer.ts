import type { Channel, ChannelModel, ConsumeMessage } from "amqplib";
import type { Executor } from "./executor.js";
import type { Transport } from "./transport.js";
import { todo } from "../../shared/todo.js";

export interface ConsumerOptions {
  /** Names it in log lines: "server", "listener". */
  name: string;
  /** Runs the messages; its concurrency is also the channel's prefetch. */
  executor: Executor;
  log: (line: string) => void;
}

/**
 * start() declares and consumes, now and after every reconnection (a restarted broker has lost
 * queues that are not durable); stop() takes no new messages; wait() lets those in flight
 * finish, then lets go of the channel. What is consumed, and what happens to each message, is
 * the subclass's: an RPC server here, a notification listener in lesson 10.
 */
export abstract class Consumer {
  protected readonly transport: Transport;
  protected readonly executor: Executor;
  protected readonly log: (line: string) => void;
  readonly #name: string;
  #channel: Channel | undefined;
  #consumerTags: string[] = [];
  #detach: (() => void) | undefined;
  #state: "new" | "running" | "stopped" | "done" = "new";

  constructor(transport: Transport, { name, executor, log }: ConsumerOptions) {
    this.transport = transport;
    this.#name = name;
    this.executor = executor;
    this.log = log;
  }

  /** Declares exchanges, queues and bindings on a fresh channel; returns the queues to consume. */
  protected abstract declare(channel: Channel): Promise<string[]>;

  /** One message off one of those queues. It must settle the message exactly once. */
  protected abstract receive(channel: Channel, queue: string, message: ConsumeMessage): void;

  async start(): Promise<void> {
    if (this.#state !== "new") throw new Error(`a ${this.#name} starts once; make a new one`);
    this.#state = "running";
    this.#detach = await this.transport.attach((connection) => this.#listen(connection));
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
   * executor's concurrency, then every queue declare() returns, consumed into receive().
   * The channel and consumer tags are kept for stop().
   */
  async #listen(_connection: ChannelModel): Promise<void> {
    if (this.#state !== "running") return;
    return todo("task 5: Consumer listen");
  }
}
