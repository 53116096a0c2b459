import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Finished, Running } from "./test-progress-setup.js";

/**
 * A test still running this long after its own timeout (vitest's 15 s, unless it set one) has
 * blocked its worker: an async test past its timeout is failed by vitest itself.
 */
export const STUCK_MARGIN_MS = 5_000;
/** Loading a test file and its beforeAll hooks may take up to vitest's hook timeout (60 s). */
export const STUCK_SETUP_MS = 65_000;
/**
 * A worker whose event loop has not turned for this long, in a test, is in an endless loop:
 * no honest test blocks its event loop for five seconds, even on a busy machine.
 */
export const BLOCKED_TEST_MS = 5_000;
/** While a file loads, synchronous imports may take longer on a busy machine. */
export const BLOCKED_LOADING_MS = 20_000;

export interface Stuck {
  file: string;
  describe: string;
  test: string;
  seconds: number;
  /** What the stopped worker had finished before, with their results. */
  finished: Finished[];
}

/** A fresh folder for the workers' records. */
export function makeProgressDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), "course-progress-"));
}

/**
 * Watches the records test workers write (scripts/lib/test-progress-setup.ts). When a worker's
 * record goes stale (its event loop is blocked: an endless loop), or it has run one test far
 * past the test's timeout, the worker is killed: vitest then reports that file as failed and
 * finishes the run normally, and the record says what the worker had finished.
 */
export class Watchdog {
  readonly stuck: Stuck[] = [];
  readonly dir: string;
  readonly #timer: NodeJS.Timeout;
  readonly #ownsDir: boolean;

  /**
   * Watches `dir` (made here when not given); the workers learn it as COURSE_PROGRESS_DIR.
   * `catchBlockedLoops`: also stop a worker whose event loop stopped turning (the learner's
   * loop); off for the course's own tests, some of which wait in spawnSync on purpose.
   */
  constructor(
    dir?: string,
    readonly catchBlockedLoops = true,
    readonly setupMs = STUCK_SETUP_MS,
  ) {
    this.dir = dir ?? makeProgressDir();
    this.#ownsDir = dir === undefined;
    this.#timer = setInterval(() => this.#check(), 500);
    this.#timer.unref();
  }

  /** The tests stopped since the last call (a watch-mode run takes only its own). */
  takeStuck(): Stuck[] {
    return this.stuck.splice(0);
  }

  #check(): void {
    const now = Date.now();
    for (const name of readdirSync(this.dir)) {
      let running: Running;
      try {
        running = JSON.parse(readFileSync(path.join(this.dir, name), "utf8")) as Running;
      } catch {
        continue; // being written right now
      }
      if (running.idle) continue;
      const limit = running.test ? running.timeoutMs + STUCK_MARGIN_MS : this.setupMs;
      const touched = statSync(path.join(this.dir, name), { throwIfNoEntry: false })?.mtimeMs;
      const blockedFor = now - (touched ?? now);
      const blocked =
        this.catchBlockedLoops &&
        blockedFor >= (running.test ? BLOCKED_TEST_MS : BLOCKED_LOADING_MS);
      if (!blocked && now - running.since < limit) continue;
      try {
        process.kill(running.pid, "SIGKILL");
      } catch {
        // already gone
      }
      rmSync(path.join(this.dir, name), { force: true });
      this.stuck.push({
        file: running.file,
        describe: running.describe,
        test: running.test,
        seconds: Math.round((now - running.since) / 1000),
        finished: running.finished ?? [],
      });
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    if (this.#ownsDir) rmSync(this.dir, { recursive: true, force: true });
  }
}
