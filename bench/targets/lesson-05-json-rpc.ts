import { calculator } from "../../shared/calculator.js";
import { JsonRpcClient } from "../../solutions/05-json-rpc/client.js";
import { serveJsonRpc } from "../../solutions/05-json-rpc/server.js";
import type { BenchClient, BenchServer } from "../harness/target.js";

/** Lesson 5's solution: JSON-RPC 2.0 over HTTP, messages built with jsonrpc-lite. */

export async function serve(): Promise<BenchServer> {
  const server = await serveJsonRpc(calculator);
  return { address: server.url, close: () => server.close() };
}

export async function connect(url: string): Promise<BenchClient> {
  const client = new JsonRpcClient(url);
  return {
    add: async (a, b) => (await client.call("add", [a, b])) as number,
    close: async () => client.close(),
  };
}
