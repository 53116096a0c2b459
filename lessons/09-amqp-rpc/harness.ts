import { afterEach } from "vitest";
import { amqpUrl, uniqueName } from "../../shared/broker/testing.js";
import type { Endpoint } from "./dispatcher.js";
import { RpcClient, type ClientOptions } from "./rpc-client.js";
import { RpcServer, type ServerOptions } from "./rpc-server.js";
import type { Target } from "./target.js";
import { Transport, type TransportOptions } from "./transport.js";

/**
 * What the broker tests of lesson 9 share: transports, servers and clients that are closed
 * after each test, whatever happened, and a log per transport or server to look into.
 */
export function useRpc() {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  });

  return {
    /** A topic no other test uses. */
    topic: (prefix = "calc") => uniqueName(prefix),

    /** A transport to the test broker; its log lines land in `logs`. */
    async transport(
      url = amqpUrl(),
      options: TransportOptions = {},
    ): Promise<{ transport: Transport; logs: string[] }> {
      const logs: string[] = [];
      const transport = await Transport.connect(url.replace(/^amqp:/, "rabbit:"), {
        log: (line) => logs.push(line),
        ...options,
      });
      cleanups.push(() => transport.close());
      return { transport, logs };
    },

    /** A started server; stopped and waited for after the test. */
    async server(
      transport: Transport,
      target: Target,
      endpoints: Endpoint[],
      options: ServerOptions = {},
    ): Promise<{ server: RpcServer; logs: string[] }> {
      const logs: string[] = [];
      const server = new RpcServer(transport, target, endpoints, {
        log: (line) => logs.push(line),
        ...options,
      });
      cleanups.push(async () => {
        await server.stop();
        await server.wait();
      });
      await server.start();
      return { server, logs };
    },

    client(transport: Transport, target: Target, options: ClientOptions = {}): RpcClient {
      const client = new RpcClient(transport, target, { timeoutMs: 5_000, ...options });
      cleanups.push(() => client.close());
      return client;
    },
  };
}

/** A promise with its resolve function outside: a gate a test opens when it chooses. */
export function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}
