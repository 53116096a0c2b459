import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Running } from "./test-progress-setup.js";

/**
 * A test still running this long after its own timeout (vitest's 15 s, unless it set one) has
 * blocked its worker: an async test past its timeout is failed by vitest itself.
 */
export const STUCK_MARGIN_MS = 5_000;
/** Loading a test file and its beforeAll hooks may take up to vitest's hook timeout (60 s). */
export const STUCK_SETUP_MS = 65_000;

export interface Stuck {
  file: string;
  describe: string;
  test: string;
  seconds: number;
}

/**
 * Watches the records test workers write (scripts/lib/test-progress-setup.ts). When one has
 * been running the same test for too long, its event loop is blocked (an endless loop), so the
 * worker is killed: vitest then reports that file as failed and finishes the run normally.
 */
export class Watchdog {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), "course-progress-"));
  readonly stuck: Stuck[] = [];
  readonly #timer: NodeJS.Timeout;

  constructor(readonly setupMs = STUCK_SETUP_MS) {
    this.#timer = setInterval(() => this.#check(), 500);
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
      const limit = running.test ? running.timeoutMs + STUCK_MARGIN_MS : this.setupMs;
      if (running.idle || now - running.since < limit) continue;
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
      });
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
