import { parseArgs } from "node:util";
import { calculator } from "../../shared/calculator.js";
import { serve } from "./server.js";

// npm run demo 3 server [-- --port 4242]      then, in another terminal:
// npm run demo 3 client                       or
// npm run call -- tcp://127.0.0.1:4242 add 1 2

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "4242" },
      host: { type: "string", default: "127.0.0.1" },
    },
  });
  const server = await serve(calculator, {
    port: Number(values.port),
    host: values.host,
    log: (line) => console.log(`! ${line}`),
  });
  console.log(`lesson 3 server: the calculator on ${server.url}`);
  console.log(`try:  npm run demo 3 client -- --port ${server.port}`);
  console.log(`      npm run call -- ${server.url} add 1 2`);
  console.log("Ctrl-C stops it.");
  process.once("SIGINT", () => {
    console.log("\nclosing: calls in flight finish first");
    void server.close().then(() => console.log("closed"));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
