import { parseArgs } from "node:util";
import { calculator } from "../../shared/calculator.js";
import { serveJsonRpc } from "./server.js";

// The calculator over JSON-RPC 2.0, plus `log`, a method meant to be notified.
// npm run demo 5 server                 (then, in another terminal: npm run demo 5 client)
// npm run demo 5 server -- --port 9000

const { values } = parseArgs({ options: { port: { type: "string", default: "8005" } } });

const service = {
  ...calculator,
  log(message: string) {
    console.log(`  log: ${message}`);
  },
};

async function main() {
  const server = await serveJsonRpc(service, { port: Number(values.port), concurrency: 16 });
  console.log(`calculator over JSON-RPC 2.0 on ${server.url}`);
  console.log(`  curl -d '{"jsonrpc":"2.0","method":"add","params":[1,2],"id":1}' ${server.url}`);
  console.log(`  npm run call -- ${server.url} add 1 2`);
  console.log("Ctrl-C to stop.");
  process.once("SIGINT", () => void server.close());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
