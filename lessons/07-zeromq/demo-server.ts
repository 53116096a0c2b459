import { parseArgs } from "node:util";
import { calculator } from "../../shared/calculator.js";
import { serveZeroRpc } from "./server.js";

// The articles' zerorpc server: hello, add and a streaming range, plus the rest of the calculator.
// npm run demo 7 server [-- --port 4242]

const { values } = parseArgs({ options: { port: { type: "string", default: "4242" } } });

const service = {
  ...calculator,
  /** Like zerorpc's @zerorpc.stream: a generator streams its items. */
  *streaming_range(from: number, to: number, step: number) {
    for (let i = from; i < to; i += step) yield i;
  },
};

async function main() {
  const server = await serveZeroRpc(service, {
    endpoint: `tcp://127.0.0.1:${values.port}`,
    name: "calculator",
    log: (line) => console.log(`  (${line})`),
  });
  console.log(`zerorpc server on ${server.endpoint}`);
  console.log(`try: npm run call -- zerorpc+tcp://127.0.0.1:${values.port} add 11 33`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
