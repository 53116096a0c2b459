import { calculator } from "../../shared/calculator.js";
import { ZeroRpcClient } from "../../solutions/07-zeromq/client.js";
import { serveZeroRpc } from "../../solutions/07-zeromq/server.js";
import type { BenchClient, BenchServer } from "../harness/target.js";

/** Lesson 7's solution: zerorpc (msgpack events, heartbeats) on a ZeroMQ Router and Dealer. */

export async function serve(): Promise<BenchServer> {
  const server = await serveZeroRpc(calculator);
  return { address: server.endpoint, close: () => server.close() };
}

export async function connect(endpoint: string): Promise<BenchClient> {
  const client = ZeroRpcClient.connect(endpoint);
  return {
    // The call's own promise, not one more wrapped around it: the bare rows' add has none either.
    add: (a, b) => client.call("add", [a, b]) as Promise<number>,
    close: () => client.close(),
  };
}
