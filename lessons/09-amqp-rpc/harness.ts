import { afterAll, afterEach } from "vitest";
import { amqpUrl, uniqueName } from "../../shared/broker/testing.js";
import type { Endpoint } from "./dispatcher.js";
import { RpcClient, type ClientOptions } from "./rpc-client.js";
import { RpcServer, type ServerOptions } from "./rpc-server.js";
import type { Target } from "./target.js";
import { Transport, type TransportOptions } from "./transport.js";

/**
 * What the broker tests of lesson 9 share: one transport for the file, and servers and clients
 * that are stopped after each test, whatever happened, with a log per server to look into.
 */
export function useRpc() {
  // Servers and clients stop all at once (each on a channel of its own), then the transports
  // they used close.
  const stops: (() => Promise<void>)[] = [];
  const transports: Transport[] = [];
  let shared: Promise<Transport> | undefined;
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop().catch(() => {})));
    await Promise.all(transports.splice(0).map((transport) => transport.close()));
  });
  afterAll(async () => {
    await (await shared?.catch(() => undefined))?.close();
  });

  /** Connects to `url` (the test broker's, unless given), "rabbit://" as oslo writes it. */
  const connect = (url: string, options: TransportOptions) =>
    Transport.connect(url.replace(/^amqp:/, "rabbit:"), options);

  return {
    /** A topic no other test uses. */
    topic: (prefix = "calc") => uniqueName(prefix),

    /**
     * The file's transport: one connection that the tests take turns on (every topic is
     * unique, and each test's servers and clients are gone before the next test starts).
     * Opened by the first test that asks, and again if a test left it without a connection.
     */
    async sharedTransport(): Promise<{ transport: Transport }> {
      const current = await shared?.catch(() => undefined);
      if (!current?.connected) {
        await current?.close();
        shared = connect(amqpUrl(), { log: () => {} });
      }
      return { transport: await shared! };
    },

    /** A transport of the test's own (to cut its link, say), closed after the test. */
    async transport(
      url = amqpUrl(),
      options: TransportOptions = {},
    ): Promise<{ transport: Transport; logs: string[] }> {
      const logs: string[] = [];
      const transport = await connect(url, { log: (line) => logs.push(line), ...options });
      transports.push(transport);
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
      stops.push(async () => {
        await server.stop();
        await server.wait();
      });
      await server.start();
      return { server, logs };
    },

    client(transport: Transport, target: Target, options: ClientOptions = {}): RpcClient {
      const client = new RpcClient(transport, target, { timeoutMs: 5_000, ...options });
      stops.push(() => client.close());
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
