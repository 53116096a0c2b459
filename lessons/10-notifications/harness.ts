import { afterAll, afterEach } from "vitest";
import { amqpUrl, uniqueName } from "../../shared/broker/testing.js";
import { Transport } from "../../solutions/09-amqp-rpc/transport.js";
import {
  NotificationListener,
  type ListenerOptions,
  type ListenerTarget,
  type NotificationEndpoint,
} from "./listener.js";

/**
 * What the broker tests of lesson 10 share: one transport for the file, and listeners that are
 * stopped after each test, whatever happened.
 */
export function useNotifications() {
  const stops: (() => Promise<void>)[] = [];
  let shared: Promise<Transport> | undefined;
  afterEach(async () => {
    // All at once: each listener has a channel of its own.
    await Promise.all(stops.splice(0).map((stop) => stop().catch(() => {})));
  });
  afterAll(async () => {
    await (await shared?.catch(() => undefined))?.close();
  });

  return {
    /** A topic no other test uses, instead of the shared "notifications". */
    topic: () => uniqueName("notifications"),

    /**
     * The file's transport: one connection that the tests take turns on (every topic is
     * unique, and each test's listeners are gone before the next test starts). Opened by the
     * first test that asks, and again if a test left it without a connection.
     */
    async transport(): Promise<Transport> {
      const current = await shared?.catch(() => undefined);
      if (!current?.connected) {
        await current?.close();
        shared = Transport.connect(amqpUrl().replace(/^amqp:/, "rabbit:"), { log: () => {} });
      }
      return shared!;
    },

    async listener(
      transport: Transport,
      targets: ListenerTarget[],
      endpoints: NotificationEndpoint[],
      options: ListenerOptions = {},
    ): Promise<{ listener: NotificationListener; logs: string[] }> {
      const logs: string[] = [];
      const listener = new NotificationListener(transport, targets, endpoints, {
        log: (line) => logs.push(line),
        ...options,
      });
      stops.push(async () => {
        await listener.stop();
        await listener.wait();
      });
      await listener.start();
      return { listener, logs };
    },
  };
}

/** Collects what an endpoint method receives; `next(n)` resolves once n have arrived. */
export function collector<T>() {
  const items: T[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  return {
    items,
    push(item: T) {
      items.push(item);
      for (const w of waiters.filter((w) => items.length >= w.count)) w.resolve();
    },
    until(count: number): Promise<T[]> {
      if (items.length >= count) return Promise.resolve(items);
      return new Promise((resolve) => waiters.push({ count, resolve: () => resolve(items) }));
    },
  };
}
