import { parseArgs } from "node:util";
import type { Calculator } from "../../shared/calculator.js";
import { connect } from "./client.js";

// npm run demo 3 client [-- --port 4242]   (start "npm run demo 3 server" first)

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "4242" },
      host: { type: "string", default: "127.0.0.1" },
    },
  });
  const url = `tcp://${values.host}:${values.port}`;
  const client = await connect(url, { timeoutMs: 5_000 });
  console.log(`connected to ${url}: one connection for everything below\n`);
  const calc = client.stub<Calculator>();

  const show = async (label: string, call: () => Promise<unknown>) => {
    try {
      console.log(`${label.padEnd(22)} → ${JSON.stringify(await call())}`);
    } catch (error) {
      const { code, remoteName, message } = error as {
        code: string;
        remoteName?: string;
        message: string;
      };
      console.log(
        `${label.padEnd(22)} → error ${code}${remoteName ? ` (${remoteName})` : ""}: ${message}`,
      );
    }
  };
  await show("add(1, 2)", () => calc.add(1, 2));
  await show("subtract(5, 3)", () => calc.subtract(5, 3));
  await show("divide(1, 0)", () => calc.divide(1, 0));
  await show('hello("Ada")', () => calc.hello("Ada"));
  await show("power(2, 10)", () => client.call("power", [2, 10]));

  const count = 10_000;
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: count }, (_, i) => client.call("multiply", [i, 2], { timeoutMs: 10_000 })),
  );
  const ms = performance.now() - started;
  const right = results.every((result, i) => result === i * 2);
  console.log(
    `\n${count} calls in flight at once on the same connection: ` +
      `${right ? "every reply reached its caller" : "SOME REPLIES WENT TO THE WRONG CALLER"} ` +
      `(${ms.toFixed(0)} ms)`,
  );
  await client.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
