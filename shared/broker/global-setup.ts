import type { TestProject } from "vitest/node";
import { BrokerUnavailableError, startPrivateBroker, type PrivateBroker } from "./rabbitmq.js";

declare module "vitest" {
  interface ProvidedContext {
    /** The broker every test file of lessons 8–10 talks to; see shared/broker/testing.ts. */
    amqpUrl: string;
  }
}

/**
 * The vitest globalSetup of the lessons that need RabbitMQ: AMQP_URL when it is set, otherwise
 * one private broker for the whole run, stopped when the run ends (also when tests fail).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.AMQP_URL;
  if (external) {
    project.provide("amqpUrl", external);
    return async () => {};
  }
  let broker: PrivateBroker;
  try {
    const started = Date.now();
    broker = await startPrivateBroker();
    if (process.env.COURSE_QUIET !== "1") {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`private RabbitMQ ${broker.url} (started in ${seconds} s)`);
    }
  } catch (error) {
    if (error instanceof BrokerUnavailableError) {
      // One line, not a stack trace: the learner has nothing to debug, only a thing to install.
      error.stack = error.message;
    }
    throw error;
  }
  project.provide("amqpUrl", broker.url);
  return () => broker.stop();
}
