import http from "node:http";
import xmlrpc from "xmlrpc";
import {
  hostPort,
  type BenchClient,
  type BenchServer,
  type ClientOptions,
} from "../harness/target.js";

/** The npm `xmlrpc` package: its server and client, as its README shows. */

export async function serve(): Promise<BenchServer> {
  const server = await new Promise<xmlrpc.Server>((resolve) => {
    const created: xmlrpc.Server = xmlrpc.createServer({ host: "127.0.0.1", port: 0 }, () =>
      resolve(created),
    );
  });
  server.on("add", (_error, params: [number, number], callback) => {
    callback(null, params[0] + params[1]);
  });
  const httpServer = (server as unknown as { httpServer: http.Server }).httpServer;
  const { port } = httpServer.address() as { port: number };
  return {
    address: `127.0.0.1:${port}`,
    async close() {
      httpServer.closeAllConnections();
      await new Promise((resolve) => httpServer.close(resolve));
    },
  };
}

export async function connect(
  address: string,
  { concurrency }: ClientOptions,
): Promise<BenchClient> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  // The package hands its options to http.request, so an agent passes through.
  const options = { ...hostPort(address), path: "/", agent };
  const client = xmlrpc.createClient(options);
  return {
    add: (a, b) =>
      new Promise((resolve, reject) => {
        client.methodCall("add", [a, b], (error: unknown, value: number) => {
          if (error) reject(error as Error);
          else resolve(value);
        });
      }),
    close: async () => agent.destroy(),
  };
}
