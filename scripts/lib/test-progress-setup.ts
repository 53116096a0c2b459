import { utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, expect } from "vitest";

/**
 * A vitest setup file: each test worker writes down, synchronously, what it is running now and
 * what it has finished, and touches that record every quarter second while its event loop
 * turns. A learner's `while (true) {}` blocks the loop, so no timer of vitest's can fire and
 * the record goes stale: that is how the watchdog (scripts/lib/watchdog.ts) learns which test
 * of which task never returned, stops that one process, and keeps what passed before it.
 */
const dir = process.env.COURSE_PROGRESS_DIR;

export interface Finished {
  file: string;
  name: string;
  passed: boolean;
  /** The first line of its first error, when it failed. */
  message?: string;
}

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
  /** The tests this worker finished, in order: they keep their result if it is stopped. */
  finished: Finished[];
}

/** How often a worker whose event loop turns touches its record. */
export const HEARTBEAT_MS = 250;

if (dir) {
  const record = path.join(dir, `${process.pid}.json`);
  const finished: Finished[] = [];
  const write = (running: Omit<Running, "pid" | "since" | "finished">) =>
    writeFileSync(
      record,
      JSON.stringify({ ...running, pid: process.pid, since: Date.now(), finished }),
    );
  const file = (expect.getState().testPath as string | undefined) ?? "";
  write({ file, describe: "", test: "", timeoutMs: 0, idle: false });
  const heartbeat = setInterval(() => {
    const now = new Date();
    try {
      utimesSync(record, now, now);
    } catch {
      // the run is over and its folder gone
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  beforeEach((context) => {
    let describe = "";
    for (let suite = context.task.suite; suite; suite = suite.suite) {
      if (suite.name) describe = suite.name;
    }
    const { file, name, timeout } = context.task;
    write({ file: file.filepath, describe, test: name, timeoutMs: timeout ?? 0, idle: false });
    context.onTestFinished(({ task }) => {
      const passed = task.result?.state === "pass";
      const message = task.result?.errors?.[0]?.message?.split("\n")[0];
      finished.push({ file: file.filepath, name, passed, ...(passed ? {} : { message }) });
    });
  });
  afterEach((context) => {
    write({ file: context.task.file.filepath, describe: "", test: "", timeoutMs: 0, idle: true });
  });
}
