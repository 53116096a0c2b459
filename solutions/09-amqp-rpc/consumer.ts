import type { Channel, ChannelModel, ConsumeMessage } from "amqplib";
import type { Executor } from "./executor.js";
import type { Transport } from "./transport.js";

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
    if (this.#state !== "running") return;
    this.#state = "stopped";
    this.#detach?.(); // a reconnection must not consume again
    const channel = this.#channel;
    const tags = this.#consumerTags.splice(0);
    await Promise.all(tags.map((tag) => channel?.cancel(tag).catch(() => {})));
  }

  /** After stop(): resolves once every message in flight is handled; closes the channel. */
  async wait(): Promise<void> {
    if (this.#state === "running") throw new Error("call stop() before wait()");
    await this.executor.idle();
    this.#state = "done";
    await this.#channel?.close().catch(() => {});
    this.#channel = undefined;
  }

  /**
   * Runs on every (re)connection: one channel (its "error" events logged), a prefetch of the
   * executor's concurrency, then every queue declare() returns, consumed into receive().
   * The channel and consumer tags are kept for stop().
   */
  async #listen(connection: ChannelModel): Promise<void> {
    if (this.#state !== "running") return;
    const channel = await connection.createChannel();
    channel.on("error", (error: Error) => this.log(`${this.#name} channel: ${error.message}`));
    // The broker hands us no more unacknowledged messages than the executor runs at once.
    await channel.prefetch(this.executor.concurrency);
    const tags: string[] = [];
    for (const queue of await this.declare(channel)) {
      const { consumerTag } = await channel.consume(queue, (message) => {
        if (message) this.receive(channel, queue, message);
      });
      tags.push(consumerTag);
    }
    this.#channel = channel;
    this.#consumerTags = tags;
  }
}
