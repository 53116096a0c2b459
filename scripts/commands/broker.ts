import { forgetRunningBroker, rememberRunningBroker } from "../../shared/broker/demo-url.js";
import { startPrivateCluster } from "../../shared/broker/cluster.js";
import { BrokerUnavailableError, startPrivateBroker } from "../../shared/broker/rabbitmq.js";

/**
 * npm run broker: a private RabbitMQ in the foreground, for demos and `npm run call`.
 * It lives in a temporary directory on free ports, and Ctrl-C stops it and removes it all.
 * --management adds the web UI that shows exchanges, queues and bindings (slower to start).
 * --nodes 3 starts a cluster of three nodes instead, joined, and prints a URL that lists them.
 */
export async function broker(args: string[]): Promise<number> {
  const management = args.includes("--management");
  const nodesAt = args.indexOf("--nodes");
  const nodes = nodesAt === -1 ? 1 : Number(args[nodesAt + 1]);
  const known = args.filter(
    (arg, i) => arg === "--management" || i === nodesAt || i === nodesAt + 1,
  );
  if (known.length !== args.length || !(Number.isInteger(nodes) && nodes >= 1 && nodes <= 5)) {
    console.error("usage: npm run broker [-- --management] [-- --nodes 3]   (Ctrl-C stops it)");
    return 2;
  }
  if (process.env.AMQP_URL) {
    console.log(`note: AMQP_URL is already set (${process.env.AMQP_URL}); starting another one.`);
  }
  if (nodes > 1) return cluster(nodes, management);
  console.log("starting a private RabbitMQ...");
  const started = Date.now();
  let running;
  try {
    running = await startPrivateBroker({ management });
  } catch (error) {
    if (error instanceof BrokerUnavailableError) {
      console.error(`course: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const rabbit = running.url.replace(/^amqp:/, "rabbit:");
  console.log(`RabbitMQ is up (${((Date.now() - started) / 1000).toFixed(1)} s), node ${running.nodeName}

  AMQP_URL=${running.url}${running.managementUrl ? `\n  management UI: ${running.managementUrl} (guest / guest)` : ""}

In another terminal:
  npm run demo 8 server        (the demos of lessons 8–10 find this broker by themselves)
  AMQP_URL=${running.url} npm run lesson 8
  npm run call -- ${rabbit} add 1 2      (once lesson 9's server runs)

Ctrl-C stops it and deletes its data.`);

  rememberRunningBroker(running.url);
  await interrupted();
  forgetRunningBroker();
  console.log("\nstopping RabbitMQ...");
  await running.stop();
  console.log("stopped.");
  return 0;
}

/** `--nodes N`: a private cluster of N nodes on this machine, as OpenStack runs RabbitMQ. */
async function cluster(count: number, management: boolean): Promise<number> {
  console.log(`starting a private RabbitMQ cluster of ${count} nodes...`);
  const started = Date.now();
  let running;
  try {
    running = await startPrivateCluster(count, { management });
  } catch (error) {
    if (error instanceof BrokerUnavailableError) {
      console.error(`course: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`a RabbitMQ cluster of ${count} nodes is up (${seconds} s), joined:
${running.nodes.map((node) => `  ${node.nodeName}  ${node.url}${node.managementUrl ? `  UI ${node.managementUrl}` : ""}`).join("\n")}

The transport URL that lists them all (a client moves to the next node when one fails):
  ${running.transportUrl}
Quorum queues, replicated on every node:  ${running.transportUrl}?rabbit_quorum_queue=true

In another terminal:
  npm run demo 9 server -- --url '${running.transportUrl}'
  npm run test:cluster          (the cluster fault test starts a cluster of its own)

Ctrl-C stops every node and deletes their data.`);
  rememberRunningBroker(running.nodes[0]!.url);
  await interrupted();
  forgetRunningBroker();
  console.log("\nstopping the cluster...");
  await running.stop();
  console.log("stopped.");
  return 0;
}

function interrupted(): Promise<void> {
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  return new Promise<void>((resolve) => {
    for (const signal of signals) process.once(signal, () => resolve());
  });
}
