import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";

/**
 * A TCP relay between the code under test and the broker, which a test can cut: every
 * connection through it drops at once, as when the broker goes away, while the broker itself
 * stays up for every other test. Any broker will do (a private one, AMQP_URL, a container),
 * and losing a connection takes milliseconds instead of a broker restart's seconds.
 */
export interface BrokerLink {
  /** The broker's URL with the relay's port: connect through this one. */
  readonly url: string;
  /** Drops every connection through the link and refuses new ones until up(). */
  down(): void;
  /** Accepts connections again. */
  up(): void;
  /** Drops every connection and stops listening. */
  close(): Promise<void>;
}

export async function openBrokerLink(brokerUrl: string): Promise<BrokerLink> {
  const broker = new URL(brokerUrl);
  const brokerPort = Number(broker.port || 5672);
  const brokerHost = broker.hostname.replace(/^\[(.*)\]$/, "$1");
  const pairs = new Set<[Socket, Socket]>();
  let accepting = true;

  const server: Server = createServer((client) => {
    if (!accepting) return void client.destroy();
    const upstream = connect({ host: brokerHost, port: brokerPort, noDelay: true });
    client.setNoDelay(true);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of pair) {
      socket.on("error", drop);
      socket.on("close", drop);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const url = new URL(brokerUrl);
  url.hostname = "127.0.0.1";
  url.port = String((server.address() as AddressInfo).port);

  const dropAll = () => {
    for (const [client, upstream] of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
  };
  return {
    url: url.toString(),
    down() {
      accepting = false;
      dropAll();
    },
    up() {
      accepting = true;
    },
    async close() {
      accepting = false;
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
