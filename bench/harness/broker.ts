import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { findExistingBroker, withoutPassword } from "../../shared/broker/find-broker.js";

const LAUNCHER = path.resolve(
  fileURLToPath(new URL("../../shared/broker/rabbitmq.ts", import.meta.url)),
);

export interface Broker {
  url: string;
  stop(): Promise<void>;
  /** One line for the screen: whose broker the AMQP rows use. */
  describe: string;
}

/**
 * AMQP_URL when set, else the broker `npm run broker` runs, else a private RabbitMQ for this
 * run; a reason when none works.
 */
export async function findBroker(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Broker | { note: string }> {
  const existing = await findExistingBroker(env);
  if (existing && "problem" in existing) return { note: `no broker: ${existing.problem}` };
  if (existing) {
    // Someone else's broker: used as it is, and left running.
    const whose = existing.source === "AMQP_URL" ? "at AMQP_URL" : "npm run broker runs";
    const describe = `using the broker ${whose} (${withoutPassword(existing.url)})`;
    return { url: existing.url, stop: async () => {}, describe };
  }
  if (!existsSync(LAUNCHER)) {
    return { note: "no broker: set AMQP_URL to a RabbitMQ (the course's launcher is not here)" };
  }
  try {
    const { startPrivateBroker } = (await import(pathToFileURL(LAUNCHER).href)) as {
      startPrivateBroker(): Promise<{ url: string; stop(): Promise<void> }>;
    };
    const broker = await startPrivateBroker();
    return {
      url: broker.url,
      stop: () => broker.stop(),
      describe:
        "started a private RabbitMQ for this run (npm run broker in another terminal saves that)",
    };
  } catch (error) {
    const reason = ((error as Error).message ?? String(error)).split("\n")[0];
    return { note: `no broker: ${reason}` };
  }
}
