import { parseArgs } from "node:util";
import { RpcError } from "../../shared/rpc-error.js";
import { ZeroRpcClient } from "./client.js";

// The articles' zerorpc client, against `npm run demo 7 server` in another terminal.
// npm run demo 7 client [-- --port 4242]

const { values } = parseArgs({ options: { port: { type: "string", default: "4242" } } });

async function main() {
  const client = ZeroRpcClient.connect(`tcp://127.0.0.1:${values.port}`, { timeoutMs: 3_000 });
  const show = (label: string, text: string) => console.log(`${label.padEnd(27)}→ ${text}`);
  try {
    show(`hello("RPC")`, JSON.stringify(await client.call("hello", ["RPC"])));
    show("add(11, 33)", JSON.stringify(await client.call("add", [11, 33])));
    const items: unknown[] = [];
    for await (const item of client.stream("streaming_range", [10, 20, 2])) items.push(item);
    show("streaming_range(10, 20, 2)", items.join(" "));
    try {
      await client.call("divide", [1, 0]);
    } catch (error) {
      const { remoteName, message } = error as RpcError;
      show("divide(1, 0)", `ERR ${remoteName}: ${message}`);
    }
    const { methods } = await client.inspect();
    console.log(`methods: ${Object.keys(methods).sort().join(", ")}`);
  } catch (error) {
    const { code, message } = RpcError.from(error);
    console.error(`${code}: ${message} — is "npm run demo 7 server" running?`);
    process.exitCode = 1;
  } finally {
    await client.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
