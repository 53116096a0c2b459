import type { AddressInfo } from "node:net";
import { calculator } from "../../shared/calculator.js";
import { HttpRpcClient } from "../../solutions/04-http/client.js";
import { createHttpRpcServer } from "../../solutions/04-http/server.js";
import type { BenchClient, BenchServer } from "../harness/target.js";

/** Lesson 4's solution: POST /rpc {"method":"add","params":[a,b],"id":n} → {"id":n,"result":...} */

export async function serve(): Promise<BenchServer> {
  const server = createHttpRpcServer(calculator);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    address: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export async function connect(url: string): Promise<BenchClient> {
  const client = new HttpRpcClient(url);
  return {
    add: async (a, b) => (await client.call("add", [a, b])) as number,
    close: async () => client.close(),
  };
}
