import { demoBrokerUrl } from "../../shared/broker/demo-url.js";
import { parseArgs } from "node:util";
import { connect, redact } from "./connect.js";
import { declareWorkQueue, JOB_CONTENT_TYPE, sendJob } from "./work-queue.js";

// A producer, like the pika one: it puts calculator jobs in the queue and leaves.
//   npm run demo 8 client                 a few sample jobs
//   npm run demo 8 client -- add 11 33    one job
//   npm run demo 8 client -- --count 10   ten jobs
//   npm run demo 8 client -- --poison     a message that is not JSON

const QUEUE = "calculator.jobs"; // the same queue as demo-server.ts

const SAMPLES: [string, unknown[]][] = [
  ["add", [11, 33]],
  ["subtract", [5, 3]],
  ["multiply", [6, 7]],
  ["divide", [1, 0]],
  ["hello", ["Ada"]],
];

async function main() {
  const { values, positionals } = parseArgs({
    // "npm run demo 8 client -- --count 3" may leave the "--" in place.
    args: process.argv.slice(2).filter((arg) => arg !== "--"),
    allowPositionals: true,
    options: { count: { type: "string" }, poison: { type: "boolean" } },
  });
  const url = demoBrokerUrl();
  const connection = await connect(url, `demo producer ${process.pid}`);
  // A confirm channel: the broker says when each job is safely queued.
  const channel = await connection.createConfirmChannel();
  await declareWorkQueue(channel, QUEUE);

  const jobs: { method: string; args: unknown[] }[] = [];
  const [method, ...args] = positionals;
  if (method) {
    jobs.push({ method, args: args.map((a) => (Number.isNaN(Number(a)) ? a : Number(a))) });
  } else {
    const count = Number(values.count ?? SAMPLES.length);
    for (let i = 0; i < count; i++) {
      const [name, sample] = SAMPLES[i % SAMPLES.length]!;
      jobs.push({ method: name, args: sample });
    }
  }
  if (values.poison) {
    channel.sendToQueue(QUEUE, Buffer.from("{this is not json"), { contentType: JOB_CONTENT_TYPE });
    console.log("sent a poison message");
  }
  for (const job of jobs) {
    await sendJob(channel, QUEUE, job);
    console.log(`sent ${job.method}(${job.args.map((a) => JSON.stringify(a)).join(", ")})`);
  }
  await channel.waitForConfirms();
  console.log(`the broker at ${redact(url)} has queued them in "${QUEUE}"`);
  await connection.close();
}

main().catch((error: unknown) => {
  console.error(
    `${(error as Error).message}\nno broker? run "npm run broker" in another terminal first`,
  );
  process.exitCode = 1;
});
