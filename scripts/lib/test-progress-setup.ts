import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, expect } from "vitest";

/**
 * A vitest setup file: each test worker writes down, synchronously, what it is running now.
 * A learner's `while (true) {}` blocks the worker's event loop, so no timer of vitest's can
 * fire; this file on disk is how the course CLI (scripts/lib/watchdog.ts) still learns which
 * test of which task never returned, and which process to stop.
 */
const dir = process.env.COURSE_PROGRESS_DIR;

export interface Running {
  pid: number;
  file: string;
  /** The top-level describe block ("task 1: add and subtract"), or "" while the file loads. */
  describe: string;
  /** The test's name, or "" while the file loads or its beforeAll hooks run. */
  test: string;
  /** The test's own timeout in ms (vitest's testTimeout unless the test set one). */
  timeoutMs: number;
  idle: boolean;
  since: number;
}

if (dir) {
  const record = path.join(dir, `${process.pid}.json`);
  const write = (running: Omit<Running, "pid" | "since">) =>
    writeFileSync(record, JSON.stringify({ ...running, pid: process.pid, since: Date.now() }));
  const file = (expect.getState().testPath as string | undefined) ?? "";
  write({ file, describe: "", test: "", timeoutMs: 0, idle: false });
  beforeEach((context) => {
    let describe = "";
    for (let suite = context.task.suite; suite; suite = suite.suite) {
      if (suite.name) describe = suite.name;
    }
    const { file, name, timeout } = context.task;
    write({ file: file.filepath, describe, test: name, timeoutMs: timeout ?? 0, idle: false });
  });
  afterEach((context) => {
    write({ file: context.task.file.filepath, describe: "", test: "", timeoutMs: 0, idle: true });
  });
}
