import type { TestProject } from "vitest/node";
import { findExistingBroker } from "./find-broker.js";
import type {} from "./provided-context.js";
import type { PrivateBroker } from "./rabbitmq.js";

/**
 * The vitest globalSetup of the lessons that need RabbitMQ: AMQP_URL when it is set, else the
 * broker `npm run broker` is running, otherwise one private broker for the whole run, stopped
 * when the run ends (also when tests fail).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const existing = await findExistingBroker();
  if (existing) {
    project.provide("amqpUrl", "url" in existing ? existing.url : "");
    project.provide("amqpProblem", "problem" in existing ? existing.problem : "");
    return async () => {};
  }
  // Loaded only when it is needed: most runs find a broker already there.
  const { BrokerUnavailableError, startPrivateBroker } = await import("./rabbitmq.js");
  let broker: PrivateBroker;
  try {
    const started = Date.now();
    broker = await startPrivateBroker();
    if (process.env.COURSE_QUIET !== "1") {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`private RabbitMQ ${broker.url} (started in ${seconds} s)`);
    }
  } catch (error) {
    if (!(error instanceof BrokerUnavailableError)) throw error;
    // Not a crash of the run: every test that needs the broker fails with this one line (see
    // testing.ts), and the tests of other lessons in the same run go on.
    project.provide("amqpUrl", "");
    project.provide("amqpProblem", error.message);
    return async () => {};
  }
  project.provide("amqpUrl", broker.url);
  project.provide("amqpProblem", "");
  return () => broker.stop();
}
