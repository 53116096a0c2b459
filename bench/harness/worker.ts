import { pathToFileURL } from "node:url";
import type { FromWorker, RunRequest, RunResult, ToWorker } from "./messages.js";
import { Samples, percentile } from "./stats.js";
import type { BenchClient, BenchServer, TargetContext, TargetModule } from "./target.js";

/**
 * One side of one benchmark row, in its own process so that the server's CPU and memory are
 * its own and the two sides do not share an event loop:
 *   node --import tsx bench/harness/worker.ts server <target.ts> <context-json>
 *   node --import tsx bench/harness/worker.ts client <target.ts> <context-json> <address>
 * It talks to the parent over the IPC channel and exits when the parent goes away.
 */

const [role, targetFile, contextJson, address] = process.argv.slice(2);

function send(message: FromWorker): void {
  process.send?.(message);
}

// A server in another process (a Python peer) reports that process's usage, not the worker's.
function usage(server: BenchServer | undefined): FromWorker {
  const other = server?.usage?.();
  if (other) return { type: "usage", ...other };
  const cpu = process.cpuUsage();
  return { type: "usage", cpuUs: cpu.user + cpu.system, maxRssKb: process.resourceUsage().maxRSS };
}

// A closed loop: each of `concurrency` lanes sends its next call as soon as the last returns.
async function closedLoop(
  client: { add(a: number, b: number): Promise<number> },
  concurrency: number,
  durationMs: number,
  samples: Samples | undefined,
  tally: { errors: number; firstError?: string },
): Promise<void> {
  const end = performance.now() + durationMs;
  const lane = async (a: number) => {
    for (let b = 0; performance.now() < end; b++) {
      const start = performance.now();
      try {
        const sum = await client.add(a, b);
        if (sum !== a + b) throw new Error(`add(${a}, ${b}) returned ${String(sum)}`);
        samples?.push((performance.now() - start) * 1000);
      } catch (error) {
        tally.errors += 1;
        tally.firstError ??= (error as Error).message ?? String(error);
        // A broken transport would otherwise spin here as fast as it can fail.
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => lane(i)));
}

/** Says "warm" and waits for "go": the parent reads the server's CPU clock in between. */
function warmThenWaitForGo(): Promise<void> {
  const go = new Promise<void>((resolve) => {
    const onMessage = (message: ToWorker) => {
      if (message.type !== "go") return;
      process.off("message", onMessage);
      resolve();
    };
    process.on("message", onMessage);
  });
  send({ type: "warm" });
  return go;
}

async function run(
  target: TargetModule,
  context: TargetContext,
  request: RunRequest,
): Promise<RunResult> {
  const client = await target.connect(address!, { ...context, concurrency: request.concurrency });
  if (client.runLoop) return runElsewhere(client, request).finally(() => client.close());
  try {
    const warmTally = { errors: 0 };
    await closedLoop(client, request.concurrency, request.warmupMs, undefined, warmTally);
    await warmThenWaitForGo();
    const samples = new Samples();
    const tally: { errors: number; firstError?: string } = { ...warmTally };
    const start = performance.now();
    const cpuBefore = process.cpuUsage();
    await closedLoop(client, request.concurrency, request.durationMs, samples, tally);
    const elapsedMs = performance.now() - start;
    const cpu = process.cpuUsage(cpuBefore);
    const sorted = samples.sorted();
    return {
      type: "result",
      calls: sorted.length,
      errors: tally.errors,
      ...(tally.firstError === undefined ? {} : { firstError: tally.firstError }),
      elapsedMs,
      p50Us: percentile(sorted, 50),
      p99Us: percentile(sorted, 99),
      clientCpuUs: cpu.user + cpu.system,
    };
  } finally {
    await client.close();
  }
}

/** The same run, for a client that loops in its own process and reports its latencies. */
async function runElsewhere(
  client: Extract<BenchClient, { runLoop: unknown }>,
  request: RunRequest,
): Promise<RunResult> {
  await client.runLoop(request.concurrency, request.warmupMs);
  await warmThenWaitForGo();
  const loop = await client.runLoop(request.concurrency, request.durationMs);
  const samples = new Samples();
  for (const latency of loop.latenciesUs) samples.push(latency);
  const sorted = samples.sorted();
  return {
    type: "result",
    calls: sorted.length,
    errors: loop.errors,
    ...(loop.firstError === undefined ? {} : { firstError: loop.firstError }),
    elapsedMs: loop.elapsedMs,
    p50Us: percentile(sorted, 50),
    p99Us: percentile(sorted, 99),
    clientCpuUs: loop.cpuUs,
  };
}

async function main(): Promise<void> {
  if (role !== "server" && role !== "client") throw new Error(`unknown role "${role}"`);
  const target = (await import(pathToFileURL(targetFile!).href)) as TargetModule;
  const context = JSON.parse(contextJson ?? "{}") as TargetContext;
  let server: BenchServer | undefined;
  if (role === "server") server = await target.serve(context);

  let busy = Promise.resolve();
  process.on("message", (message: ToWorker) => {
    if (message.type === "usage") send(usage(server));
    if (message.type === "run") {
      busy = busy
        .then(() => run(target, context, message))
        .then(send, (error: unknown) => send({ type: "failed", message: String(error) }));
    }
    if (message.type === "close") {
      busy
        .then(() => server?.close())
        .then(
          () => send({ type: "closed" }),
          (error: unknown) => send({ type: "failed", message: `close: ${String(error)}` }),
        )
        .finally(() => process.disconnect());
    }
  });
  // Leave with the parent, whatever happened to it.
  process.on("disconnect", () => setTimeout(() => process.exit(0), 500).unref());
  send({ type: "ready", address: server?.address ?? address! });
}

main().catch((error: unknown) => {
  send({ type: "failed", message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
  process.disconnect?.();
});
