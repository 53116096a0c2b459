import { parseArgs } from "node:util";
import { serve } from "../../solutions/11-grpc/server.js";

// npm run demo 11 server [-- --port 50051]      then, in another terminal:
// npm run demo 11 client                         or
// npm run call -- grpc://127.0.0.1:50051/calc.Calculator add 1 2

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "50051" },
      host: { type: "string", default: "127.0.0.1" },
    },
  });
  const server = await serve(undefined, { port: Number(values.port), host: values.host });
  console.log(`lesson 11 server: calc.Calculator on ${server.url}`);
  console.log(`try:  npm run demo 11 client -- --port ${server.port}`);
  console.log(`      npm run call -- ${server.url}/calc.Calculator add 1 2`);
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
