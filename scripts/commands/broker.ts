import { forgetRunningBroker, rememberRunningBroker } from "../../shared/broker/demo-url.js";
import { BrokerUnavailableError, startPrivateBroker } from "../../shared/broker/rabbitmq.js";

/**
 * npm run broker: a private RabbitMQ in the foreground, for demos and `npm run call`.
 * It lives in a temporary directory on free ports, and Ctrl-C stops it and removes it all.
 * --management adds the web UI that shows exchanges, queues and bindings (slower to start).
 */
export async function broker(args: string[]): Promise<number> {
  const management = args.includes("--management");
  if (args.some((arg) => arg !== "--management")) {
    console.error("usage: npm run broker [-- --management]   (Ctrl-C stops it)");
    return 2;
  }
  if (process.env.AMQP_URL) {
    console.log(`note: AMQP_URL is already set (${process.env.AMQP_URL}); starting another one.`);
  }
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
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  await new Promise<void>((resolve) => {
    for (const signal of signals) process.once(signal, () => resolve());
  });
  forgetRunningBroker();
  console.log("\nstopping RabbitMQ...");
  await running.stop();
  console.log("stopped.");
  return 0;
}
