import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createInterface, type Interface } from "node:readline";
import { fileURLToPath } from "node:url";
import { SYSTEM_PYTHON } from "../../shared/testing/python.js";
import type { BenchClient, BenchServer, LoopResult, ProcessUsage } from "./target.js";

/**
 * The seeds' own systems are Python programs (bench/seeds/*.py). A row that measures one runs
 * it as a child of the worker process: a server prints "READY <address>"; a client runs the
 * closed loop itself, in Python, and reports its latencies (bench/seeds/closed_loop.py), so no
 * call ever crosses a Node process on its way. CPU and memory are read from the Python process,
 * not from the worker that started it.
 */

const SEEDS = path.resolve(fileURLToPath(new URL("../seeds", import.meta.url)));
const START_MS = 30_000;

function start(
  script: string,
  args: string[],
): Promise<{ child: ChildProcess; ready: string; lines: Interface }> {
  const child = spawn(SYSTEM_PYTHON, ["-u", path.join(SEEDS, script), ...args], {
    cwd: SEEDS,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (text: string) => {
    stderr = (stderr + text).slice(-2_000);
  });
  // The worker may be killed without a word: the peer must not outlive it.
  process.once("exit", () => child.kill("SIGKILL"));
  const lines = createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script} did not print READY within ${START_MS} ms\n${stderr}`));
    }, START_MS);
    const onLine = (line: string) => {
      const match = /^READY\s*(.*)$/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      lines.off("line", onLine);
      resolve({ child, ready: match[1]!.trim(), lines });
    };
    lines.on("line", onLine);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code ?? signal}\n${stderr}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const late = setTimeout(() => child.kill("SIGKILL"), 3_000);
  await exited;
  clearTimeout(late);
}

/** CPU time and peak memory of another process, from Linux's /proc; undefined elsewhere. */
export function usageOf(pid: number | undefined): ProcessUsage | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and
    // 13th, in clock ticks (100 a second on Linux).
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const peak = /VmHWM:\s+(\d+)/.exec(status);
    return { cpuUs: ticks * 10_000, maxRssKb: peak ? Number(peak[1]) : 0 };
  } catch {
    return undefined;
  }
}

export async function pythonServer(script: string, args: string[]): Promise<BenchServer> {
  const { child, ready } = await start(script, ["server", ...args]);
  return { address: ready, usage: () => usageOf(child.pid), close: () => stop(child) };
}

export async function pythonClient(script: string, args: string[]): Promise<BenchClient> {
  const { child, lines } = await start(script, ["client", ...args]);
  const results = lines[Symbol.asyncIterator]();
  return {
    async runLoop(concurrency, durationMs): Promise<LoopResult> {
      child.stdin!.write(JSON.stringify({ concurrency, durationMs }) + "\n");
      const next = await results.next();
      if (next.done) throw new Error(`${script} exited during the run`);
      const result = JSON.parse(next.value) as LoopResult & { firstError: string | null };
      return { ...result, firstError: result.firstError ?? undefined };
    },
    close: async () => {
      child.stdin!.end();
      await stop(child);
    },
  };
}
