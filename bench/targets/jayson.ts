import http from "node:http";
import type { AddressInfo } from "node:net";
import jayson from "jayson";
import {
  hostPort,
  type BenchClient,
  type BenchServer,
  type ClientOptions,
} from "../harness/target.js";

/** jayson, the popular JSON-RPC 2.0 package: its HTTP server and client, as its README shows. */

export async function serve(): Promise<BenchServer> {
  const server = new jayson.Server({
    add: (args: [number, number], callback: (error: null, result: number) => void) =>
      callback(null, args[0] + args[1]),
  }).http();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export async function connect(
  address: string,
  { concurrency }: ClientOptions,
): Promise<BenchClient> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const client = jayson.Client.http({ ...hostPort(address), agent });
  return {
    add: (a, b) =>
      new Promise((resolve, reject) => {
        const callback: jayson.JSONRPCCallbackTypePlain = (error, response) => {
          if (error) reject(error instanceof Error ? error : new Error(error.message));
          else if (response?.error) reject(new Error(String(response.error.message)));
          else resolve(response?.result as number);
        };
        client.request("add", [a, b], callback);
      }),
    close: async () => agent.destroy(),
  };
}
