import { randomBytes } from "node:crypto";
import amqp, {
  type Channel,
  type ChannelModel,
  type ConfirmChannel,
  type ConsumeMessage,
} from "amqplib";
import { afterAll, beforeAll, inject } from "vitest";
import { openBrokerLink, type BrokerLink } from "./broker-link.js";
import type {} from "./provided-context.js";
import { startPrivateBroker, type PrivateBroker } from "./rabbitmq.js";

/**
 * Helpers for tests that talk to RabbitMQ. Every test file of lessons 8–10 shares one broker
 * (shared/broker/global-setup.ts), so tests isolate themselves by name: every queue and
 * exchange a test declares comes from uniqueName().
 */

/** The broker of this test run: AMQP_URL, or the private broker the run started. */
export function amqpUrl(): string {
  const url = inject("amqpUrl");
  if (url) return url;
  const problem = inject("amqpProblem");
  const error = new Error(
    problem ||
      "no broker for this test: lessons 8–10 run in the vitest project that starts one " +
        "(vitest.config.ts); run them with npm run lesson <N>",
  );
  // One line to read, not a stack to debug: the fix is to install or point at a broker.
  error.stack = `${error.name}: ${error.message}`;
  throw error;
}

let counter = 0;

/** A queue or exchange name no other test, file or run uses: "orders.4f1c2a.3". */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}.${process.pid.toString(36)}${randomBytes(3).toString("hex")}.${counter}`;
}

/** A connection to the test broker, with Nagle off (small frames go out at once). */
export async function openConnection(url: string = amqpUrl()): Promise<ChannelModel> {
  const connection = await amqp.connect(url, { noDelay: true });
  // A broker-side close is reported through the promises that fail; an unhandled 'error'
  // event would crash the test worker instead.
  connection.on("error", () => {});
  return connection;
}

/** Opens a connection, runs `use`, and always closes the connection again. */
export async function withConnection<T>(use: (connection: ChannelModel) => Promise<T>): Promise<T> {
  const connection = await openConnection();
  try {
    return await use(connection);
  } finally {
    await connection.close().catch(() => {});
  }
}

/** A channel on a fresh connection, both closed when `use` settles. */
export async function withChannel<T>(use: (channel: Channel) => Promise<T>): Promise<T> {
  return withConnection(async (connection) => {
    const channel = await connection.createChannel();
    channel.on("error", () => {});
    return use(channel);
  });
}

/**
 * Consumes `count` messages from `queue`, acks them, and cancels the consumer. Rejects with a
 * clear message if they do not all arrive within `timeoutMs`: a deadline that turns a hang
 * into a failure, not a timing assertion.
 */
export async function receive(
  channel: Channel,
  queue: string,
  count: number,
  { timeoutMs = 5_000 }: { timeoutMs?: number } = {},
): Promise<ConsumeMessage[]> {
  const messages: ConsumeMessage[] = [];
  let done!: () => void;
  let fail!: (error: Error) => void;
  const all = new Promise<void>((resolve, reject) => ((done = resolve), (fail = reject)));
  const { consumerTag } = await channel.consume(queue, (message) => {
    if (!message) return fail(new Error(`the broker cancelled the consumer of "${queue}"`));
    // More than asked for: back to the queue for whoever consumes next.
    if (messages.length === count) return channel.nack(message, false, true);
    channel.ack(message);
    messages.push(message);
    if (messages.length === count) done();
  });
  const timer = setTimeout(
    () => fail(new Error(`expected ${count} message(s) on "${queue}", got ${messages.length}`)),
    timeoutMs,
  );
  try {
    await all;
    return messages;
  } finally {
    clearTimeout(timer);
    await channel.cancel(consumerTag).catch(() => {});
  }
}

export interface BrokerSession {
  /** The test file's connection, once channel() or confirmChannel() has opened it. */
  readonly connection: ChannelModel;
  /** A new channel whose errors (a 404, a 406...) reject promises but never crash the worker. */
  channel(): Promise<Channel>;
  /** The same, in confirm mode: `await channel.waitForConfirms()` means "routed and queued". */
  confirmChannel(): Promise<ConfirmChannel>;
  /** Queues and exchanges to delete in afterAll (durable ones outlive the test otherwise). */
  deleteAfterAll(names: { queues?: string[]; exchanges?: string[] }): void;
}

/**
 * Call at the top of a test file: one connection for the file, opened by the first test that
 * asks for a channel (a file whose tests fail before that opens none) and closed after the
 * file's tests, together with every queue and exchange handed to deleteAfterAll.
 */
export function useBrokerSession(): BrokerSession {
  let connection: ChannelModel | undefined;
  let opening: Promise<ChannelModel> | undefined;
  const queues = new Set<string>();
  const exchanges = new Set<string>();
  const quiet = <T extends Channel>(channel: T): T => {
    channel.on("error", () => {});
    return channel;
  };
  const open = (): Promise<ChannelModel> => {
    opening ??= openConnection().then(
      (opened) => (connection = opened),
      (error: unknown) => {
        opening = undefined; // the next test tries again, and says why it failed
        throw error;
      },
    );
    return opening;
  };
  afterAll(async () => {
    const opened = await opening?.catch(() => undefined);
    if (!opened) return;
    // A channel for each, all at once: a channel answers one request at a time, and a file's
    // tests may leave a few dozen queues behind.
    const onItsOwnChannel = async (remove: (channel: Channel) => Promise<unknown>) =>
      remove(quiet(await opened.createChannel()));
    await Promise.all([
      ...[...queues].map((queue) => onItsOwnChannel((channel) => channel.deleteQueue(queue))),
      ...[...exchanges].map((name) => onItsOwnChannel((channel) => channel.deleteExchange(name))),
    ]);
    await opened.close();
  });
  return {
    get connection() {
      if (!connection) throw new Error("useBrokerSession(): the first channel() opens it");
      return connection;
    },
    async channel() {
      return quiet(await (await open()).createChannel());
    },
    async confirmChannel() {
      return quiet(await (await open()).createConfirmChannel());
    },
    deleteAfterAll(names) {
      for (const queue of names.queues ?? []) queues.add(queue);
      for (const exchange of names.exchanges ?? []) exchanges.add(exchange);
    },
  };
}

/**
 * Collects what arrives (deliveries, events, calls) so a test can wait for "n of them" with a
 * deadline that turns a hang into a clear failure, never into a timing assertion.
 */
export class Inbox<T> {
  readonly items: T[] = [];
  #waiters: { count: number; resolve: () => void }[] = [];

  push(item: T): void {
    this.items.push(item);
    this.#waiters = this.#waiters.filter((waiter) => {
      if (this.items.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  }

  /** Resolves with the items once at least `count` have arrived. */
  async atLeast(
    count: number,
    { timeoutMs = 5_000, what = "messages" }: { timeoutMs?: number; what?: string } = {},
  ): Promise<T[]> {
    if (this.items.length < count) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await new Promise<void>((resolve, reject) => {
          this.#waiters.push({ count, resolve });
          timer = setTimeout(
            () => reject(new Error(`expected ${count} ${what}, ${this.items.length} arrived`)),
            timeoutMs,
          );
        });
      } finally {
        clearTimeout(timer);
      }
    }
    return this.items;
  }
}

/** A promise with its resolve function outside: a gate a test opens when it chooses. */
export function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/**
 * A private broker for the tests of one file or describe block that restart or stop it, so the
 * broker every other test shares stays up. Started before them, stopped after them.
 */
export function useOwnBroker(): { readonly broker: PrivateBroker } {
  let broker: PrivateBroker | undefined;
  beforeAll(async () => {
    broker = await startPrivateBroker();
  }, 90_000);
  afterAll(async () => {
    await broker?.stop();
  });
  return {
    get broker() {
      if (!broker) throw new Error("the private broker has not started");
      return broker;
    },
  };
}

/**
 * Links to the test broker that a test can cut (see broker-link.ts): a lost connection in
 * milliseconds, on the broker every test shares. The links close when the file's tests are
 * done (after every afterEach, so that servers stop while their broker is still reachable).
 */
export function useBrokerLinks(): { open(): Promise<BrokerLink> } {
  const links: BrokerLink[] = [];
  afterAll(async () => {
    for (const link of links.splice(0)) await link.close();
  });
  return {
    async open() {
      const link = await openBrokerLink(amqpUrl());
      links.push(link);
      return link;
    },
  };
}
