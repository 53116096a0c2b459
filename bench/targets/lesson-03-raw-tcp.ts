import { calculator } from "../../shared/calculator.js";
import { connect as connectTcp } from "../../solutions/03-raw-tcp/client.js";
import { serve as serveTcp } from "../../solutions/03-raw-tcp/server.js";
import type { BenchClient, BenchServer } from "../harness/target.js";

/** Lesson 3's solution: length-prefixed frames with request IDs on one long-lived connection. */

export async function serve(): Promise<BenchServer> {
  const server = await serveTcp(calculator);
  return { address: server.url, close: () => server.close() };
}

export async function connect(url: string): Promise<BenchClient> {
  const client = await connectTcp(url);
  return {
    // The call's own promise, not one more wrapped around it: the floor's add has none either.
    add: (a, b) => client.call("add", [a, b]) as Promise<number>,
    close: () => client.close(),
  };
}
