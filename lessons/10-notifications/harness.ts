import { afterEach } from "vitest";
import { amqpUrl, uniqueName } from "../../shared/broker/testing.js";
import { Transport } from "../../solutions/09-amqp-rpc/transport.js";
import {
  NotificationListener,
  type ListenerOptions,
  type ListenerTarget,
  type NotificationEndpoint,
} from "./listener.js";

/** Transports and listeners for the broker tests of lesson 10, closed after each test. */
export function useNotifications() {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  });

  return {
    /** A topic no other test uses, instead of the shared "notifications". */
    topic: () => uniqueName("notifications"),

    async transport(): Promise<Transport> {
      const transport = await Transport.connect(amqpUrl().replace(/^amqp:/, "rabbit:"), {
        log: () => {},
      });
      cleanups.push(() => transport.close());
      return transport;
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
      cleanups.push(async () => {
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
