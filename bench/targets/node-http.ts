import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  hostPort,
  type BenchClient,
  type BenchServer,
  type ClientOptions,
} from "../harness/target.js";

/**
 * A bare `node:http` handler: POST {"a":1,"b":2} → {"result":3}, with a keep-alive client
 * agent holding one connection per call in flight (HTTP/1.1 answers one request at a time
 * per connection). `keepAlive: false` opens a new connection for every call.
 */
export function makeHttp(keepAlive: boolean) {
  async function serve(): Promise<BenchServer> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        let body: string;
        try {
          const { a, b } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
            a: number;
            b: number;
          };
          body = JSON.stringify({ result: a + b });
        } catch {
          res.writeHead(400).end();
          return;
        }
        res.writeHead(200, {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
        });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
      address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
      async close() {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      },
    };
  }

  async function connect(address: string, { concurrency }: ClientOptions): Promise<BenchClient> {
    const { host, port } = hostPort(address);
    const agent = new http.Agent({ keepAlive, maxSockets: concurrency });
    return {
      add: (a, b) =>
        new Promise((resolve, reject) => {
          const body = JSON.stringify({ a, b });
          const req = http.request(
            {
              host,
              port,
              agent,
              method: "POST",
              path: "/add",
              headers: { "content-type": "application/json", "content-length": body.length },
            },
            (res) => {
              const chunks: Buffer[] = [];
              res.on("data", (chunk: Buffer) => chunks.push(chunk));
              res.on("end", () => {
                try {
                  resolve(
                    (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { result: number })
                      .result,
                  );
                } catch (error) {
                  reject(error as Error);
                }
              });
            },
          );
          req.on("error", reject);
          req.setNoDelay(true);
          req.end(body);
        }),
      close: async () => agent.destroy(),
    };
  }

  return { serve, connect };
}

export const { serve, connect } = makeHttp(true);
