import { calculator } from "../../shared/calculator.js";
import { XmlRpcClient } from "../../solutions/06-xml-rpc/client.js";
import { serveXmlRpc } from "../../solutions/06-xml-rpc/server.js";
import type { BenchClient, BenchServer } from "../harness/target.js";

/** Lesson 6's solution: the hand-written XML-RPC codec, server and client over HTTP. */

export async function serve(): Promise<BenchServer> {
  const server = await serveXmlRpc(calculator);
  return { address: server.url, close: () => server.close() };
}

export async function connect(url: string): Promise<BenchClient> {
  const client = new XmlRpcClient(url);
  return {
    add: async (a, b) => (await client.call("add", [a, b])) as number,
    close: async () => client.close(),
  };
}
