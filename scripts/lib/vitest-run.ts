import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./paths.js";
import type { RunResults } from "./results.js";
import { TREE_ENV, type Tree } from "./trees.js";
import { makeProgressDir } from "./watchdog.js";

export interface VitestRun {
  /** Files or folders to test, relative to the course root. */
  targets: string[];
  tree: Tree;
  /** Print nothing of vitest's own; only collect results. */
  quiet?: boolean;
  config?: string;
  extraArgs?: string[];
}

export interface VitestOutcome {
  code: number;
  /** With the tests that never returned folded in (the reporter runs scripts/lib/watchdog.ts). */
  results: RunResults;
  /** What vitest printed on stderr when it failed in a way the results do not show. */
  stderr: string;
}

const require = createRequire(import.meta.url);

export function vitestBin(): string {
  return path.join(path.dirname(require.resolve("vitest/package.json")), "vitest.mjs");
}

/**
 * Runs vitest in a child process and returns its exit code and the per-test results.
 * Vitest and its workers get a process group of their own, so that Ctrl-C, SIGTERM or a
 * hung run end all of them and leave no process behind.
 */
export async function runVitest(run: VitestRun): Promise<VitestOutcome> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "course-"));
  const resultsFile = path.join(tmp, "results.json");
  const progressDir = makeProgressDir();
  const args = [
    vitestBin(),
    "run",
    ...(run.config ? ["--config", run.config] : []),
    ...(run.quiet ? ["--reporter=./scripts/lib/task-reporter.ts"] : []),
    ...(run.extraArgs ?? []),
    ...run.targets,
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    detached: true,
    stdio: run.quiet ? ["ignore", "ignore", "pipe"] : ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      [TREE_ENV]: run.tree,
      COURSE_RESULTS: resultsFile,
      COURSE_PROGRESS_DIR: progressDir,
      ...(run.quiet ? { COURSE_QUIET: "1" } : {}),
    },
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group is gone already
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    killGroup(signal);
    // Vitest stops its broker and servers on SIGINT/SIGTERM; if it cannot, end it all.
    setTimeout(() => killGroup("SIGKILL"), 10_000).unref();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  let stderr = "";
  child.stderr?.on(
    "data",
    (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)),
  );
  const code = await new Promise<number>((resolve) => {
    child.on("close", (status) => resolve(status ?? 1));
  });
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  killGroup("SIGKILL"); // anything a test started and forgot
  rmSync(progressDir, { recursive: true, force: true });
  let results: RunResults = { tests: [], brokenFiles: [] };
  try {
    results = JSON.parse(readFileSync(resultsFile, "utf8")) as RunResults;
  } catch {
    // vitest stopped before reporting (e.g. a broken config); the exit code says so.
  }
  rmSync(tmp, { recursive: true, force: true });
  return { code, results, stderr };
}
