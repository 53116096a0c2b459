import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TargetInfo } from "../targets/index.js";
import { Worker } from "./processes.js";
import { median } from "./stats.js";
import type { TargetContext } from "./target.js";

const TARGETS_DIR = path.resolve(fileURLToPath(new URL("../targets", import.meta.url)));

export interface RunOptions {
  concurrency: number[];
  durationMs: number;
  warmupMs: number;
  repeats: number;
  context: TargetContext;
  log(line: string): void;
}

/** One row of the table: the median of the repeats for one target at one concurrency. */
export interface Measurement {
  target: TargetInfo;
  concurrency: number;
  callsPerSec: number;
  p50Us: number;
  p99Us: number;
  /** Server CPU time (user + system) per call, in microseconds. */
  serverCpuUs: number;
  /** Client CPU time per call, in microseconds: which side is the bottleneck. */
  clientCpuUs: number;
  /** The server's peak resident memory over all of this target's runs, in kilobytes. */
  serverMaxRssKb: number;
  /** Set when the target could not be measured; the numbers are then NaN. */
  error?: string;
}

interface Sample {
  callsPerSec: number;
  p50Us: number;
  p99Us: number;
  serverCpuUs: number;
  clientCpuUs: number;
}

const START_MS = 30_000;

/** Measures one target: one server process and one client process for all its runs. */
export async function measureTarget(
  target: TargetInfo,
  options: RunOptions,
): Promise<Measurement[]> {
  const file = path.join(TARGETS_DIR, target.file);
  const concurrencies = options.concurrency.filter(
    (c) => !target.concurrency || target.concurrency.includes(c),
  );
  const samples = new Map<number, Sample[]>(concurrencies.map((c) => [c, []]));
  let maxRssKb = NaN;
  let server: Worker | undefined;
  let client: Worker | undefined;
  try {
    server = Worker.server(file, options.context);
    const { address } = await server.expect("ready", START_MS);
    client = Worker.client(file, options.context, address);
    await client.expect("ready", START_MS);
    // Repeats interleave the concurrencies, so a noisy moment does not hit one column only.
    for (let repeat = 0; repeat < options.repeats; repeat++) {
      for (const concurrency of concurrencies) {
        const runLimit = options.warmupMs + options.durationMs + 20_000;
        const warm = client.expect("warm", runLimit);
        client.send({
          type: "run",
          concurrency,
          warmupMs: options.warmupMs,
          durationMs: options.durationMs,
        });
        await warm;
        server.send({ type: "usage" });
        const before = await server.expect("usage", 5_000);
        const done = client.expect("result", runLimit);
        client.send({ type: "go" });
        const result = await done;
        server.send({ type: "usage" });
        const after = await server.expect("usage", 5_000);
        if (result.errors > 0) {
          throw new Error(`${result.errors} call(s) failed, the first with: ${result.firstError}`);
        }
        if (result.calls === 0) throw new Error("no call completed");
        samples.get(concurrency)!.push({
          callsPerSec: (result.calls / result.elapsedMs) * 1000,
          p50Us: result.p50Us,
          p99Us: result.p99Us,
          serverCpuUs: (after.cpuUs - before.cpuUs) / result.calls,
          clientCpuUs: result.clientCpuUs / result.calls,
        });
        maxRssKb = after.maxRssKb;
        const s = samples.get(concurrency)!.at(-1)!;
        options.log(
          `  ${target.id} ×${concurrency} #${repeat + 1}: ${Math.round(s.callsPerSec)} calls/s, ` +
            `p50 ${s.p50Us.toFixed(0)} µs, p99 ${s.p99Us.toFixed(0)} µs, ` +
            `CPU/call server ${s.serverCpuUs.toFixed(1)} µs, client ${s.clientCpuUs.toFixed(1)} µs`,
        );
      }
    }
    await client.stop();
    await server.stop();
  } catch (error) {
    client?.kill();
    server?.kill();
    const message = (error as Error).message ?? String(error);
    return concurrencies.map((concurrency) => ({
      target,
      concurrency,
      callsPerSec: NaN,
      p50Us: NaN,
      p99Us: NaN,
      serverCpuUs: NaN,
      clientCpuUs: NaN,
      serverMaxRssKb: NaN,
      error: message,
    }));
  }
  return concurrencies.map((concurrency) => {
    const runs = samples.get(concurrency)!;
    return {
      target,
      concurrency,
      callsPerSec: median(runs.map((r) => r.callsPerSec)),
      p50Us: median(runs.map((r) => r.p50Us)),
      p99Us: median(runs.map((r) => r.p99Us)),
      serverCpuUs: median(runs.map((r) => r.serverCpuUs)),
      clientCpuUs: median(runs.map((r) => r.clientCpuUs)),
      serverMaxRssKb: maxRssKb,
    };
  });
}
