import { randomUUID } from "node:crypto";
import { RpcClient } from "../../solutions/09-amqp-rpc/rpc-client.js";
import { RpcServer } from "../../solutions/09-amqp-rpc/rpc-server.js";
import { Transport } from "../../solutions/09-amqp-rpc/transport.js";
import type { BenchClient, BenchServer, ClientOptions, TargetContext } from "../harness/target.js";

/**
 * Lesson 9's solution: an oslo.messaging-style RPC server and client on RabbitMQ. `call`
 * waits for the reply; with `cast: true` the client only sends (the broker confirms) and the
 * row measures one-way messages.
 */

// oslo endpoints take the request context and the arguments by name.
const endpoint = {
  add: (_context: unknown, { a, b }: { a: number; b: number }) => a + b,
};

export function makeAmqpRpc({ cast }: { cast: boolean }) {
  async function serve({ amqpUrl }: TargetContext): Promise<BenchServer> {
    const transport = await Transport.connect(amqpUrl!);
    const topic = `bench-${randomUUID()}`;
    const server = new RpcServer(transport, { topic, server: "bench" }, [endpoint]);
    await server.start();
    return {
      address: topic,
      async close() {
        await server.stop();
        await server.wait();
        await transport.close();
      },
    };
  }

  async function connect(topic: string, { amqpUrl }: ClientOptions): Promise<BenchClient> {
    const transport = await Transport.connect(amqpUrl!);
    const client = new RpcClient(transport, { topic });
    return {
      // A call's own promise, not one more wrapped around it: the bare rows' add has none either.
      add: cast
        ? async (a, b) => {
            await client.cast({}, "add", { a, b });
            return a + b;
          }
        : (a, b) => client.call({}, "add", { a, b }) as Promise<number>,
      async close() {
        await client.close();
        await transport.close();
      },
    };
  }

  return { serve, connect };
}

export const { serve, connect } = makeAmqpRpc({ cast: false });
