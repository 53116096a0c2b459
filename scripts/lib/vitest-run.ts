import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./paths.js";
import type { RunResults } from "./results.js";
import { TREE_ENV, type Tree } from "./trees.js";

export interface VitestRun {
  /** Files or folders to test, relative to the course root. */
  targets: string[];
  tree: Tree;
  watch?: boolean;
  /** Print nothing of vitest's own; only collect results. */
  quiet?: boolean;
  config?: string;
  extraArgs?: string[];
}

const require = createRequire(import.meta.url);

export function vitestBin(): string {
  return path.join(path.dirname(require.resolve("vitest/package.json")), "vitest.mjs");
}

/** Runs vitest in a child process and returns its exit code and the per-test results. */
export async function runVitest(run: VitestRun): Promise<{ code: number; results: RunResults }> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "course-"));
  const resultsFile = path.join(tmp, "results.json");
  const args = [
    vitestBin(),
    run.watch ? "watch" : "run",
    ...(run.config ? ["--config", run.config] : []),
    ...(run.quiet ? ["--reporter=./scripts/lib/task-reporter.ts"] : []),
    ...(run.extraArgs ?? []),
    ...run.targets,
  ];
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: run.quiet ? ["ignore", "ignore", "pipe"] : "inherit",
      env: {
        ...process.env,
        [TREE_ENV]: run.tree,
        COURSE_RESULTS: resultsFile,
        ...(run.quiet ? { COURSE_QUIET: "1" } : {}),
      },
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (status) => {
      if (run.quiet && status !== 0 && status !== 1) process.stderr.write(stderr);
      resolve(status ?? 1);
    });
  });
  let results: RunResults = { tests: [], brokenFiles: [] };
  try {
    results = JSON.parse(readFileSync(resultsFile, "utf8")) as RunResults;
  } catch {
    // vitest stopped before reporting (e.g. a broken config); the exit code says so.
  }
  rmSync(tmp, { recursive: true, force: true });
  return { code, results };
}
