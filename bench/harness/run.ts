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

/** One run of one target at one concurrency. */
export interface Sample {
  concurrency: number;
  callsPerSec: number;
  p50Us: number;
  p99Us: number;
  serverCpuUs: number;
  clientCpuUs: number;
  serverMaxRssKb: number;
}

const START_MS = 30_000;

function concurrenciesOf(target: TargetInfo, options: RunOptions): number[] {
  return options.concurrency.filter((c) => !target.concurrency || target.concurrency.includes(c));
}

/**
 * One round for one target: a fresh server process and client process, one run per
 * concurrency, both processes stopped. Throws (having killed both) when anything fails.
 */
export async function measureOnce(target: TargetInfo, options: RunOptions): Promise<Sample[]> {
  const file = path.join(TARGETS_DIR, target.file);
  const samples: Sample[] = [];
  let server: Worker | undefined;
  let client: Worker | undefined;
  try {
    server = Worker.server(file, options.context);
    const { address } = await server.expect("ready", START_MS);
    client = Worker.client(file, options.context, address);
    await client.expect("ready", START_MS);
    for (const concurrency of concurrenciesOf(target, options)) {
      const runLimit = options.warmupMs + options.durationMs + 20_000;
      const warm = client.expect("warm", runLimit);
      const { warmupMs, durationMs } = options;
      client.send({ type: "run", concurrency, warmupMs, durationMs });
      await warm;
      // The server's CPU clock is read while the client waits: the difference is the
      // measured calls' work and nothing else.
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
      const sample: Sample = {
        concurrency,
        callsPerSec: (result.calls / result.elapsedMs) * 1000,
        p50Us: result.p50Us,
        p99Us: result.p99Us,
        serverCpuUs: (after.cpuUs - before.cpuUs) / result.calls,
        clientCpuUs: result.clientCpuUs / result.calls,
        serverMaxRssKb: after.maxRssKb,
      };
      samples.push(sample);
      options.log(
        `  ${target.id} ×${concurrency}: ${Math.round(sample.callsPerSec)} calls/s, ` +
          `p50 ${sample.p50Us.toFixed(0)} µs, p99 ${sample.p99Us.toFixed(0)} µs, CPU/call ` +
          `server ${sample.serverCpuUs.toFixed(1)} µs, client ${sample.clientCpuUs.toFixed(1)} µs`,
      );
    }
    await client.stop();
    await server.stop();
    return samples;
  } catch (error) {
    client?.kill();
    server?.kill();
    throw error;
  }
}

/** The table's rows for one target: medians over its rounds, or its error. */
export function summarize(
  target: TargetInfo,
  options: RunOptions,
  rounds: Sample[][],
  error?: string,
): Measurement[] {
  return concurrenciesOf(target, options).map((concurrency) => {
    const runs = rounds.flat().filter((s) => s.concurrency === concurrency);
    const pick = (key: keyof Sample) => (error ? NaN : median(runs.map((r) => r[key])));
    return {
      target,
      concurrency,
      callsPerSec: pick("callsPerSec"),
      p50Us: pick("p50Us"),
      p99Us: pick("p99Us"),
      serverCpuUs: pick("serverCpuUs"),
      clientCpuUs: pick("clientCpuUs"),
      serverMaxRssKb: error ? NaN : Math.max(...runs.map((r) => r.serverMaxRssKb)),
      ...(error === undefined ? {} : { error }),
    };
  });
}
