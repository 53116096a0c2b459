import { demoBrokerUrl, demoFlag } from "../../shared/broker/demo-url.js";
import { hostname } from "node:os";
import { calculatorEndpoint } from "../../shared/oslo-calculator.js";
import { RpcServer } from "./rpc-server.js";
import { Transport } from "./transport.js";

// An RPC server for the topic "calc", like the seed article's oslo server.
// npm run broker                                   (in one terminal: prints the URL)
// npm run demo 9 server [--server name]
// Run it twice with different --server names to watch round robin and fanout.

const url = demoBrokerUrl();
const name = demoFlag("server") ?? hostname();

/** Like oslo's ServerControlEndpoint: a second endpoint in its own namespace and version. */
const control = {
  target: { namespace: "control", version: "2.0" },
  // prepare({ namespace: "control", version: "2.0", server: name }).call(ctx, "stop")
  stop() {
    setImmediate(() => void shutdown());
    return `${name} stopping`;
  },
};

const logged = {
  ...calculatorEndpoint,
  add(context: Record<string, unknown>, args: Record<string, unknown>) {
    console.log(`${name}: add(${JSON.stringify(args)}) from ${JSON.stringify(context)}`);
    return calculatorEndpoint.add(context, args);
  },
  hello(context: Record<string, unknown>, args: Record<string, unknown>) {
    console.log(`${name}: hello(${JSON.stringify(args)})`);
    return calculatorEndpoint.hello(context, args);
  },
};

const transport = await Transport.connect(url.replace(/^amqp:/, "rabbit:"));
const server = new RpcServer(transport, { topic: "calc", server: name }, [logged, control]);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  console.log(`${name}: stopping — no new messages; waiting for the ones in flight`);
  await server.stop();
  await server.wait();
  await transport.close();
}

await server.start();
console.log(
  `${name}: serving topic "calc" (queues calc, calc.${name}, calc_fanout_…); Ctrl-C stops`,
);
process.once("SIGINT", () => void shutdown());
