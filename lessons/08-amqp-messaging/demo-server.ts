import { demoBrokerUrl } from "../../shared/broker/demo-url.js";
import { parseArgs } from "node:util";
import { runCalculatorJob } from "./calculator-jobs.js";
import { redact } from "./connect.js";
import { startReconnectingWorker } from "./reconnecting-worker.js";
import { deadLetterQueueOf } from "./work-queue.js";

// A worker, like the pika consumer: it takes calculator jobs from a queue and prints them.
//   npm run broker                                    (in another terminal; the demos find it)
//   npm run demo 8 server [-- --prefetch 1 --slow 500]
// Start two of them and watch the jobs alternate between them.

const QUEUE = "calculator.jobs"; // the same queue as demo-client.ts

async function main() {
  const { values } = parseArgs({
    // "npm run demo 8 client -- --count 3" may leave the "--" in place.
    args: process.argv.slice(2).filter((arg) => arg !== "--"),
    options: { prefetch: { type: "string", default: "1" }, slow: { type: "string", default: "0" } },
  });
  const url = demoBrokerUrl();
  const slowMs = Number(values.slow);
  // Restart the broker while this runs: the worker says so, comes back, and goes on.
  const worker = await startReconnectingWorker(
    url,
    QUEUE,
    async (job, message) => {
      const line = runCalculatorJob(job); // a job that is not one: bad_message, dead-lettered
      if (slowMs > 0) await new Promise((resolve) => setTimeout(resolve, slowMs));
      console.log(`${line}${message.fields.redelivered ? " (redelivered)" : ""}`);
    },
    {
      prefetch: Number(values.prefetch),
      onReject: (error) =>
        console.log(`rejected to ${deadLetterQueueOf(QUEUE)}: ${error.code}: ${error.message}`),
      log: (line) => console.log(`! ${line}`),
      name: `demo worker ${process.pid}`,
    },
  );
  console.log(`worker ${process.pid} takes jobs from "${QUEUE}" at ${redact(url)} (Ctrl-C stops)`);

  const stopped = new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  // Either Ctrl-C, or a broker that never came back: then finished rejects, and main fails.
  await Promise.race([stopped, worker.finished]);
  await worker.stop();
  console.log("\nworker stopped; jobs not taken stay in the queue");
}

main().catch((error: unknown) => {
  console.error(
    `worker: ${(error as Error).message}\nno broker? run "npm run broker" in another terminal first`,
  );
  process.exit(1);
});
