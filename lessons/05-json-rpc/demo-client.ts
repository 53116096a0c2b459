import { parseArgs } from "node:util";
import type { Calculator } from "../../shared/calculator.js";
import { RpcError } from "../../shared/rpc-error.js";
import { JsonRpcClient } from "./client.js";

// Calls the demo server: a stub, named params, a batch, a notification, an error.
// npm run demo 5 client
// npm run demo 5 client -- --url http://127.0.0.1:9000/

const { values } = parseArgs({
  options: { url: { type: "string", default: "http://127.0.0.1:8005/" } },
});

async function main() {
  const client = new JsonRpcClient(values.url);
  try {
    const calc = client.stub<Calculator>();
    console.log("calc.add(1, 2)                      →", await calc.add(1, 2));
    console.log("calc.hello('世界')                  →", await calc.hello("世界"));
    console.log(
      "call('subtract', { a: 42, b: 23 })  →",
      await client.call("subtract", { a: 42, b: 23 }),
    );
    const error = await calc.divide(1, 0).then(() => undefined, RpcError.from);
    console.log("calc.divide(1, 0)                   →", `${error?.code}: ${error?.message}`);

    await client.notify("log", ["a notification: no id, no reply"]);
    console.log("notify('log', [...])                → (no reply; see the server's terminal)");

    const outcomes = await client.batch([
      { method: "multiply", params: [6, 7] },
      { method: "log", params: ["a notification inside a batch"], notification: true },
      { method: "power", params: [2, 8] },
      { method: "hello", params: { name: "Ada" } },
    ]);
    console.log("batch of 3 calls and 1 notification →");
    for (const outcome of outcomes) {
      console.log(
        "   ",
        outcome.status === "fulfilled"
          ? (JSON.stringify(outcome.value) ?? "(notification)")
          : `rejected: ${String(outcome.reason)}`,
      );
    }
  } finally {
    client.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
