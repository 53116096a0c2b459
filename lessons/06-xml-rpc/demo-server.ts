import { calculator } from "../../shared/calculator.js";
import { serveXmlRpc } from "./server.js";

// An XML-RPC calculator, like the article's SimpleXMLRPCServer on port 8088.
// npm run demo 6 server [-- --port 8088]      then, in another terminal:
// npm run demo 6 client                       or   npm run call -- xmlrpc+http://127.0.0.1:8088 add 1 2

const portFlag = process.argv.indexOf("--port");
const port = portFlag === -1 ? 8088 : Number(process.argv[portFlag + 1]);

const service = {
  ...calculator,
  /** Answers after `ms` milliseconds: a slow call, to show it does not hold up the others. */
  slow: async (ms: number) => {
    if (typeof ms !== "number" || ms < 0 || ms > 60_000) {
      throw new TypeError("slow(ms) takes a number of milliseconds up to 60000");
    }
    await new Promise((resolve) => setTimeout(resolve, ms));
    return `answered after ${ms} ms`;
  },
};

const number = ["double", "double", "double"];
const docs = {
  add: { help: "add(a, b) → a + b", signatures: [number] },
  subtract: { help: "subtract(a, b) → a − b", signatures: [number] },
  multiply: { help: "multiply(a, b) → a × b", signatures: [number] },
  divide: { help: "divide(a, b) → a ÷ b; a fault when b is 0", signatures: [number] },
  hello: { help: 'hello(name) → "Hello, <name>!"', signatures: [["string", "string"]] },
  slow: { help: "slow(ms) answers after ms milliseconds", signatures: [["string", "int"]] },
};

async function main() {
  const server = await serveXmlRpc(service, { port, docs });
  console.log(`XML-RPC server listening on ${server.url}`);
  console.log(`  methods: ${Object.keys(service).join(", ")}, system.*`);
  console.log(`  try:     npm run call -- xmlrpc+http://127.0.0.1:${server.port} add 1 2`);
  console.log(`  or:      npm run demo 6 client -- --port ${server.port}`);
  const stop = () => {
    console.log("\nclosing");
    void server.close();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
