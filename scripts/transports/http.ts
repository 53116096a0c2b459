import { HttpRpcClient } from "../../solutions/04-http/client.js";
import { createHttpRpcServer, RPC_PATH } from "../../solutions/04-http/server.js";
import { JsonRpcClient } from "../../solutions/05-json-rpc/client.js";
import { serveJsonRpc } from "../../solutions/05-json-rpc/server.js";
import type { Transport } from "../lib/transport.js";

/**
 * npm run call -- http://127.0.0.1:8005/ add 1 2        JSON-RPC 2.0 over HTTP (lesson 5)
 * npm run call -- http://127.0.0.1:8004/rpc add 1 2     lesson 4's POST /rpc
 * A URL whose path is lesson 4's endpoint, /rpc, gets lesson 4's {method, params, id} and
 * {result}; any other path JSON-RPC 2.0 (--jsonrpc insists on JSON-RPC at /rpc too).
 * --notify sends a JSON-RPC notification instead of a call (the server answers nothing).
 */
export const transport: Transport = {
  schemes: ["http:"],
  describe:
    "lesson 5, JSON-RPC 2.0 over HTTP: http://127.0.0.1:8005/  (--notify: no reply)\n" +
    "  lesson 4, POST /rpc: http://127.0.0.1:8004/rpc  (the path /rpc picks lesson 4)",
  async call(url, method, args, { flags, timeoutMs }) {
    if (url.pathname === RPC_PATH && !flags.jsonrpc && !flags.notify) {
      const client = new HttpRpcClient(url.origin);
      try {
        return await client.call(method, args, { timeoutMs });
      } finally {
        client.close();
      }
    }
    const client = new JsonRpcClient(url);
    try {
      if (flags.notify) {
        await client.notify(method, args, { timeoutMs });
        return null;
      }
      return await client.call(method, args, { timeoutMs });
    } finally {
      client.close(); // the keep-alive agent would otherwise keep the CLI running
    }
  },
  async serve(url, service, { log }) {
    if (url.pathname === RPC_PATH) {
      const server = createHttpRpcServer(service, {
        logError: (e) => log(`${e.code}: ${e.message}`),
      });
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(Number(url.port), url.hostname, resolve);
      });
      const port = (server.address() as { port: number }).port;
      return {
        url: `http://${url.hostname}:${port}${RPC_PATH}`,
        close: () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          }),
      };
    }
    const server = await serveJsonRpc(service, { host: url.hostname, port: Number(url.port) });
    return { url: server.url, close: () => server.close() };
  },
};
