import { EventEmitter } from "node:events";
import amqp, { type ChannelModel, type ConfirmChannel, type Options } from "amqplib";
import { RpcError } from "../../shared/rpc-error.js";
import { batchSocketWrites } from "../../shared/amqp-socket-writes.js";
import { queueKindOf, type QueueKind, type QueueKindOptions } from "./queue-kind.js";
import { parseTransportUrl, type TransportUrl } from "./transport-url.js";

export interface TransportOptions extends QueueKindOptions {
  /** oslo's `control_exchange`: the exchange of every Target that names none. */
  defaultExchange?: string;
  /** The first pause before reconnecting; it doubles after each failure, up to the maximum. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
  /** Where connection trouble is reported; console.warn unless given. */
  log?: (line: string) => void;
}

/** Runs after every (re)connection: declare queues again, consume again. */
export type Setup = (connection: ChannelModel) => Promise<void>;

export interface Exchange {
  name: string;
  type: "topic" | "fanout" | "direct";
  options: Options.AssertExchange;
}

/**
 * One AMQP connection, shared by every client and server made from this transport, and
 * reopened when the broker comes back. Events: "disconnected" (an RpcError "unavailable")
 * and "reconnected".
 */
export class Transport extends EventEmitter {
  readonly url: TransportUrl;
  readonly defaultExchange: string;
  /** What the topic queues are made of: see queue-kind.ts. */
  readonly queueKind: QueueKind;
  readonly #options: Required<Omit<TransportOptions, "defaultExchange" | keyof QueueKindOptions>>;
  readonly #setups = new Set<Setup>();
  #connection: ChannelModel | undefined;
  // The connection once every setup has run on it: what connection() hands out without waiting.
  #readyConnection: ChannelModel | undefined;
  #publisher: Promise<ConfirmChannel> | undefined;
  // The same channel once it is open, for the publishes that need not wait for anything.
  #openPublisher: ConfirmChannel | undefined;
  #declared = new Set<string>();
  // Mandatory messages in flight, by messageId: the broker returns an unroutable one before
  // it confirms it, so by the confirm we know whether some queue took it.
  #unroutable = new Map<string, boolean>();
  #ready!: Promise<ChannelModel>;
  #markReady!: (connection: ChannelModel) => void;
  #failReady!: (reason: RpcError) => void;
  #hostIndex = 0;
  #reconnecting = false;
  #closed = false;
  #retryTimer: NodeJS.Timeout | undefined;

  private constructor(url: TransportUrl, queueKind: QueueKind, options: TransportOptions) {
    super();
    this.url = url;
    this.queueKind = queueKind;
    this.defaultExchange = options.defaultExchange ?? "openstack";
    this.#options = {
      reconnectDelayMs: options.reconnectDelayMs ?? 200,
      maxReconnectDelayMs: options.maxReconnectDelayMs ?? 5_000,
      log: options.log ?? ((line) => console.warn(line)),
    };
    this.#resetReady();
  }

  /**
   * Connects once; an unreachable broker is an "unavailable" RpcError, not a retry loop. The
   * URL's query may choose the queue kind, as oslo's does: `?amqp_durable_queues=true`.
   */
  static async connect(url: string, options: TransportOptions = {}): Promise<Transport> {
    const transport = new Transport(parseTransportUrl(url), queueKindOf(url, options), options);
    await transport.#open();
    return transport;
  }

  get connected(): boolean {
    return this.#connection !== undefined;
  }

  /** Connected and set up again after any reconnection: a publish now waits for nothing. */
  get ready(): boolean {
    return this.#readyConnection !== undefined && !this.#closed;
  }

  /** Runs `setup` now and again after every reconnection, until the returned function is called. */
  async attach(setup: Setup): Promise<() => void> {
    this.#setups.add(setup);
    await setup(await this.connection());
    return () => void this.#setups.delete(setup);
  }

  /** The live connection; while the broker is away, waits for it (or for the signal). */
  async connection({ signal }: { signal?: AbortSignal } = {}): Promise<ChannelModel> {
    if (this.#closed) throw new RpcError("unavailable", "the transport is closed");
    signal?.throwIfAborted();
    // Connected, the usual case: no promise to race against the signal on every publish.
    if (this.#readyConnection) return this.#readyConnection;
    if (!signal) return this.#ready;
    let onAbort!: () => void;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(whileAway(signal.reason));
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([this.#ready, aborted]);
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  /**
   * Publishes a JSON body the way kombu does, and resolves once the broker has taken it
   * (a confirm channel). The exchange is declared first, once per channel, as oslo does.
   * With `mandatory: true`, "taken" means "put in a queue": a message no queue is bound for
   * is returned by the broker, and the promise rejects with "unavailable" instead of resolving.
   */
  async publish(
    exchange: Exchange | "",
    routingKey: string,
    body: unknown,
    options: Options.Publish & { signal?: AbortSignal } = {},
  ): Promise<void> {
    const { signal, ...publishOptions } = options;
    // The usual case, connected with the channel open: out now, with one await instead of four.
    const channel = signal?.aborted ? undefined : this.#readyPublisher(exchange);
    const connection = channel ? this.#readyConnection! : await this.connection({ signal });
    try {
      if (channel) await this.#send(channel, exchange, routingKey, body, publishOptions);
      else await this.#publishOn(exchange, routingKey, body, publishOptions);
    } catch (error) {
      // The connection died under the publish ("channel closed"): the broker is gone, and
      // whether it kept the message nobody knows. That is "unavailable", not a bug of ours.
      if (!(error instanceof RpcError) && this.#readyConnection !== connection) {
        throw new RpcError(
          "unavailable",
          `lost the connection to the broker before it confirmed the message (${(error as Error).message})`,
          { cause: error },
        );
      }
      throw RpcError.from(error);
    }
  }

  /**
   * A speed-up you can skip: the publishing channel, when a publish can go out at once (the
   * connection ready, the channel open, the exchange declared on it); otherwise undefined.
   */
  #readyPublisher(exchange: Exchange | ""): ConfirmChannel | undefined {
    if (!this.#readyConnection || this.#closed) return undefined;
    if (exchange !== "" && !this.#declared.has(exchange.name)) return undefined;
    return this.#openPublisher;
  }

  async #publishOn(
    exchange: Exchange | "",
    routingKey: string,
    body: unknown,
    publishOptions: Options.Publish,
  ): Promise<void> {
    const channel = await this.#publishChannel();
    if (exchange !== "" && !this.#declared.has(exchange.name)) {
      await channel.assertExchange(exchange.name, exchange.type, exchange.options);
      this.#declared.add(exchange.name);
    }
    await this.#send(channel, exchange, routingKey, body, publishOptions);
  }

  /** One publish on the confirm channel; settles with the broker's confirm (or its return). */
  #send(
    channel: ConfirmChannel,
    exchange: Exchange | "",
    routingKey: string,
    body: unknown,
    publishOptions: Options.Publish,
  ): Promise<void> {
    const content = Buffer.from(JSON.stringify(body));
    const properties: Options.Publish = {
      contentType: "application/json",
      contentEncoding: "utf-8",
      deliveryMode: 2,
      priority: 0,
      headers: {},
      ...publishOptions,
    };
    const tracked = publishOptions.mandatory ? uniqueMessageId() : undefined;
    if (tracked) {
      properties.messageId = tracked;
      this.#unroutable.set(tracked, false);
    }
    return new Promise<void>((resolve, reject) => {
      // The callback is written inline: a named one per publish costs a defineProperty in tsx.
      channel.publish(
        exchange === "" ? "" : exchange.name,
        routingKey,
        content,
        properties,
        (error) => {
          const returned = tracked !== undefined && this.#unroutable.get(tracked) === true;
          if (tracked) this.#unroutable.delete(tracked);
          if (error) return reject(refusedOrLost(error));
          if (returned) {
            return reject(
              new RpcError("unavailable", `no queue took the message for "${routingKey}"`),
            );
          }
          resolve();
        },
      );
    });
  }

  /** Closes the connection for good; clients and servers made from it stop working. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#failReady(new RpcError("unavailable", "the transport is closed"));
    const connection = this.#connection;
    this.#connection = undefined;
    this.#readyConnection = undefined;
    this.#publisher = undefined;
    this.#openPublisher = undefined;
    await connection?.close().catch(() => {});
  }

  #resetReady(): void {
    this.#ready = new Promise((resolve, reject) => {
      this.#markReady = resolve;
      this.#failReady = reject;
    });
    // Nobody may be waiting right now; that must not be an unhandled rejection.
    this.#ready.catch(() => {});
  }

  /** The channel we publish on: opened lazily, opened again after a channel error. */
  #publishChannel(): Promise<ConfirmChannel> {
    if (!this.#publisher) {
      const connection = this.#connection;
      if (!connection) throw new RpcError("unavailable", "not connected to the broker");
      this.#declared = new Set();
      const opening = connection.createConfirmChannel().then((channel) => {
        channel.on("error", (error: Error) => this.#options.log(`publishing: ${error.message}`));
        channel.on("close", () => {
          if (this.#publisher === opening) this.#publisher = undefined;
          if (this.#openPublisher === channel) this.#openPublisher = undefined;
        });
        // A mandatory message no queue could take: its publisher hears of it at the confirm.
        channel.on(
          "return",
          (message: { fields: { routingKey: string }; properties: { messageId?: string } }) => {
            const id = message.properties.messageId;
            if (id !== undefined && this.#unroutable.has(id)) this.#unroutable.set(id, true);
          },
        );
        if (this.#publisher === opening) this.#openPublisher = channel;
        return channel;
      });
      opening.catch(() => (this.#publisher = undefined));
      this.#publisher = opening;
    }
    return this.#publisher;
  }

  /** Tries each broker address once, starting with the last one that worked. */
  async #open(): Promise<void> {
    const { hosts, virtualHost } = this.url;
    let lastError: unknown;
    for (let tried = 0; tried < hosts.length; tried++) {
      const host = hosts[(this.#hostIndex + tried) % hosts.length]!;
      let connection: ChannelModel;
      try {
        // noDelay: amqplib leaves Nagle on, and a publish is a few small frames.
        connection = await amqp.connect(
          { protocol: "amqp", vhost: virtualHost, ...host },
          { noDelay: true, timeout: 5_000 },
        );
      } catch (error) {
        lastError = error;
        continue;
      }
      this.#hostIndex = (this.#hostIndex + tried) % hosts.length;
      batchSocketWrites(connection);
      connection.on("error", () => {}); // "close" follows with the same error
      connection.on("close", (error?: Error) => this.#lost(connection, error));
      this.#connection = connection;
      this.#publisher = undefined;
      this.#openPublisher = undefined;
      try {
        for (const setup of this.#setups) await setup(connection);
      } catch (error) {
        this.#connection = undefined;
        await connection.close().catch(() => {});
        throw RpcError.from(error);
      }
      this.#readyConnection = connection;
      this.#markReady(connection);
      return;
    }
    const where = hosts.map((h) => `${h.hostname}:${h.port}`).join(", ");
    const code = (lastError as NodeJS.ErrnoException | undefined)?.code;
    throw new RpcError(
      "unavailable",
      `cannot reach the broker at ${where} (${code ?? (lastError as Error)?.message}) — ` +
        "is RabbitMQ running? (npm run broker)",
      { cause: lastError },
    );
  }

  #lost(connection: ChannelModel, error: Error | undefined): void {
    if (this.#connection !== connection) return;
    this.#connection = undefined;
    this.#readyConnection = undefined;
    this.#publisher = undefined;
    this.#openPublisher = undefined;
    this.#resetReady();
    if (this.#closed) return;
    // A cluster's node that has just gone is the last one to try again: start at the next.
    this.#hostIndex = (this.#hostIndex + 1) % this.url.hosts.length;
    const reason = new RpcError(
      "unavailable",
      `lost the connection to the broker: ${error?.message ?? "closed by the broker"}`,
      { cause: error },
    );
    this.#options.log(`${reason.message}; reconnecting`);
    this.emit("disconnected", reason);
    this.#reconnect().catch((error: unknown) => this.emit("reconnect-failed", error));
  }

  /** Exponential backoff until the broker answers again, then every setup runs again. */
  async #reconnect(): Promise<void> {
    if (this.#reconnecting) return;
    this.#reconnecting = true;
    let delay = this.#options.reconnectDelayMs;
    try {
      while (!this.#closed) {
        await new Promise((resolve) => (this.#retryTimer = setTimeout(resolve, delay)));
        if (this.#closed) return;
        try {
          await this.#open();
          this.#options.log("reconnected to the broker");
          this.emit("reconnected");
          return;
        } catch {
          this.#hostIndex = (this.#hostIndex + 1) % this.url.hosts.length;
          delay = Math.min(delay * 2, this.#options.maxReconnectDelayMs);
        }
      }
    } finally {
      this.#reconnecting = false;
    }
  }
}

/** A nack: the broker could not take the message (a queue without a leader, say). */
function refusedOrLost(error: unknown): unknown {
  if ((error as Error).message !== "message nacked") return error;
  return new RpcError("unavailable", "the broker refused the message (nacked): it was not taken");
}

/**
 * Why a wait for the connection ended: at a deadline, while the broker is away, that is
 * "unavailable" (nothing was sent); the caller's own abort stays what it was.
 */
function whileAway(reason: unknown): unknown {
  if (!(reason instanceof Error) || reason.name !== "TimeoutError") return reason;
  return new RpcError(
    "unavailable",
    "the broker is unreachable (reconnecting): nothing was sent before the deadline",
    { cause: reason },
  );
}

let messageCounter = 0;

/** Unique within this process: enough to match a returned message to its publish. */
function uniqueMessageId(): string {
  messageCounter = (messageCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `m${process.pid.toString(36)}.${messageCounter.toString(36)}`;
}
