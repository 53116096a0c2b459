import { demoBrokerUrl } from "../../shared/broker/demo-url.js";
import { RpcError } from "../../shared/rpc-error.js";
import { RpcClient } from "./rpc-client.js";
import { Transport } from "./transport.js";

// Calls, casts and a fanout to the demo server, as in the seed articles' oslo client.
// npm run demo 9 client   (after `npm run broker` in another terminal)

const url = demoBrokerUrl();

function show(value: unknown): string {
  if (value instanceof RpcError) {
    return `${value.code}${value.remoteName ? ` ${value.remoteName}` : ""}: ${value.message}`;
  }
  return JSON.stringify(value);
}

async function main() {
  const transport = await Transport.connect(url!.replace(/^amqp:/, "rabbit:"));
  const client = new RpcClient(transport, { topic: "calc" }, { timeoutMs: 5_000 });
  const context = { user: "ada", request_id: "req-demo" };
  const line = (label: string, outcome: string) => console.log(`${label.padEnd(34)} → ${outcome}`);
  try {
    for (const [method, args] of [
      ["add", { a: 1, b: 2 }],
      ["hello", { name: "Ada" }],
      ["divide", { a: 1, b: 0 }],
    ] as const) {
      const label = `call ${method}(${Object.entries(args)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(", ")})`;
      line(label, show(await client.call(context, method, args).catch((e: unknown) => e)));
    }
    await client.cast(context, "add", { a: 5, b: 5 });
    line("cast add(a=5, b=5)", "sent (the server logs it)");
    await client.prepare({ fanout: true }).cast(context, "hello", { name: "everyone" });
    line('fanout cast hello(name="everyone")', 'sent to every server of "calc"');
    const nobody = client.prepare({ server: "nobody", timeoutMs: 500 });
    const outcome = await nobody.call(context, "add", { a: 1, b: 1 }).catch((e: unknown) => e);
    line('call to server "nobody" (500 ms)', (outcome as RpcError).code ?? show(outcome));
  } finally {
    await client.close();
    await transport.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
