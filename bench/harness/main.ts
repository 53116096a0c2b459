import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SYSTEM_PYTHON } from "../../shared/testing/python.js";
import { TARGETS, type TargetInfo } from "../targets/index.js";
import { findBroker, type Broker } from "./broker.js";
import { svgChart } from "./chart.js";
import { killAllWorkers, workerFlags } from "./processes.js";
import { markdown } from "./report.js";
import { measureOnce, summarize, type Measurement, type Sample } from "./run.js";

const ROOT = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));

export interface BenchOptions {
  /** Target ids or groups; every target when empty. */
  only: string[];
  concurrency: number[];
  durationMs: number;
  warmupMs: number;
  repeats: number;
  /** Where the Markdown table and the SVG chart go. */
  outDir: string;
  verbose: boolean;
  /** Write a CPU profile of every worker process into this folder. */
  profileDir?: string;
}

/** The files a row needs that are not in this tree: a lesson not written yet. */
function missing(target: TargetInfo): string[] {
  const files = [...(target.requires ?? []), `bench/targets/${target.file}`];
  return files.filter((file) => !existsSync(path.join(ROOT, file)));
}

/** Why a row of the seeds' Python systems cannot run here, or undefined when it can. */
function missingPython(target: TargetInfo): string | undefined {
  if (!target.python) return undefined;
  const imports = target.python.modules.map((m) => `import ${m}`).join("; ");
  const probe = spawnSync(SYSTEM_PYTHON, ["-c", imports], { encoding: "utf8" });
  if (!probe.error && probe.status === 0) return undefined;
  return `${SYSTEM_PYTHON} cannot import ${target.python.modules.join(", ")} (apt-get install ${target.python.debianPackage})`;
}

function isPicked(target: TargetInfo, only: string[]): boolean {
  if (!only.length) return true;
  const seedRow = target.python !== undefined;
  return (
    only.includes(target.id) || only.includes(target.group) || (seedRow && only.includes("seeds"))
  );
}

/** The whole run: pick the targets, start a broker if needed, measure, print, write files. */
export async function bench(options: BenchOptions): Promise<number> {
  const picked = TARGETS.filter((t) => isPicked(t, options.only));
  // A ratio needs its baselines: the floor, the library and seed system of each protocol, and
  // any row a picked row's goal names by its id.
  const groups = new Set(picked.map((t) => t.group));
  const goalVariants = new Set(picked.flatMap((t) => t.goals?.map((g) => g.against) ?? []));
  const selected = TARGETS.filter(
    (t) =>
      picked.includes(t) ||
      t.kind === "floor" ||
      goalVariants.has(t.id) ||
      ((t.kind === "library" || t.kind === "seed") && groups.has(t.group)),
  );
  if (options.profileDir) workerFlags.push("--cpu-prof", `--cpu-prof-dir=${options.profileDir}`);
  const notes: string[] = [];
  const present: TargetInfo[] = [];
  for (const target of selected) {
    const absent = missing(target);
    const noPython = missingPython(target);
    if (absent.length)
      notes.push(`${target.label}: not measured: ${absent[0]} is not in this tree yet`);
    else if (noPython) notes.push(`${target.label}: not measured: ${noPython}`);
    else present.push(target);
  }

  let broker: Broker | undefined;
  let starting: Promise<Broker | { note: string }> | undefined;
  // Ctrl-C: end the workers, and the broker too, even one still starting.
  const onSignal = () => {
    killAllWorkers();
    void Promise.resolve(starting)
      .then((found) => (found && "url" in found ? found.stop() : undefined))
      .catch(() => {})
      .finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const runnable: TargetInfo[] = [];
  if (present.some((t) => t.broker)) {
    console.error("looking for a broker for the AMQP rows...");
    starting = findBroker();
    const found = await starting;
    if ("note" in found) {
      for (const t of present.filter((t) => t.broker)) notes.push(`${t.label}: ${found.note}`);
    } else {
      console.error(found.describe);
      broker = found;
    }
  }
  runnable.push(...present.filter((t) => !t.broker || broker));

  const runOptions = {
    concurrency: options.concurrency,
    durationMs: options.durationMs,
    warmupMs: options.warmupMs,
    repeats: options.repeats,
    context: broker ? { amqpUrl: broker.url } : {},
    log: (line: string) => options.verbose && console.error(line),
  };
  // Round after round over every target, so that a noisy minute on a shared machine spoils one
  // run of many rows (and the median drops it) rather than every run of one row.
  const rounds = new Map<TargetInfo, Sample[][]>(runnable.map((t) => [t, []]));
  const errors = new Map<TargetInfo, string>();
  try {
    for (let round = 1; round <= options.repeats; round++) {
      console.error(`round ${round} of ${options.repeats}`);
      for (const target of runnable.filter((t) => !errors.has(t))) {
        console.error(`  measuring ${target.label}...`);
        try {
          rounds.get(target)!.push(await measureOnce(target, runOptions));
        } catch (error) {
          const message = (error as Error).message ?? String(error);
          console.error(`  ${target.id} failed: ${message}`);
          errors.set(target, message);
        }
      }
    }
  } finally {
    killAllWorkers();
    await broker?.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  const rows: Measurement[] = runnable.flatMap((target) =>
    summarize(target, runOptions, rounds.get(target)!, errors.get(target)),
  );

  const cpus = os.cpus();
  const info = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${cpus.length} × ${cpus[0]?.model.trim() ?? "CPU"}, Node ${process.version}`,
    durationMs: options.durationMs,
    warmupMs: options.warmupMs,
    repeats: options.repeats,
    notes,
  };
  const table = markdown(rows, info);
  console.log(table);
  mkdirSync(options.outDir, { recursive: true });
  const tableFile = path.join(options.outDir, "latest.md");
  const chartFile = path.join(options.outDir, "chart.svg");
  writeFileSync(tableFile, `# Benchmark: add(a, b) over every transport\n\n${table}`);
  writeFileSync(chartFile, svgChart(rows, `add(a, b): calls per second, ${info.machine}`));
  console.error(`wrote ${path.relative(ROOT, tableFile)} and ${path.relative(ROOT, chartFile)}`);
  const failed = rows.filter((r) => r.error);
  return failed.length ? 1 : 0;
}
