import { JsonRpcClient } from "../../solutions/05-json-rpc/client.js";
import type { Transport } from "../lib/transport.js";

/**
 * npm run call -- http://127.0.0.1:8005/ add 1 2
 * JSON-RPC 2.0 over HTTP (lesson 5): the arguments go as positional params.
 * --notify sends a notification instead of a call (the server answers nothing).
 */
export const transport: Transport = {
  schemes: ["http:"],
  describe: "lesson 5, JSON-RPC 2.0 over HTTP: http://127.0.0.1:8005/  (--notify: no reply)",
  async call(url, method, args, { flags, timeoutMs }) {
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
};
