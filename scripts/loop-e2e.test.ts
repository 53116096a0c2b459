import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCourseCopy, type CourseCopy } from "./testing/course-copy.js";

/**
 * The learner's loop in a throwaway copy of lesson 1: what a stuck later task, a save in
 * watch mode and Ctrl-C look like. Each waits on what the command prints, never on a clock.
 */
let copy: CourseCopy;
const calculator = () => path.join(copy.dir, "lessons", "01-local-call", "calculator.ts");
let starter: string;

beforeAll(() => {
  copy = makeCourseCopy(["01-local-call"], { withGit: false });
  starter = readFileSync(calculator(), "utf8");
});
afterAll(() => copy.remove());

function edit(replacements: [string, string][]): void {
  let text = starter;
  for (const [from, to] of replacements) text = text.replace(from, to);
  writeFileSync(calculator(), text);
}

const TASK_1_DONE: [string, string][] = [
  ['return todo("task 1: add");', "return a + b;"],
  ['return todo("task 1: subtract");', "return a - b;"],
];

/** The processes running in the copy's folder (vitest, its workers, tsc), on Linux. */
function processesOfCopy(): string[] {
  if (!existsSync("/proc/self/cwd")) return [];
  return readdirSync("/proc").filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      return readlinkSync(`/proc/${pid}/cwd`).startsWith(copy.dir);
    } catch {
      return false; // gone, or not ours to read
    }
  });
}

/** Resolves once `found()` holds, checking each time the event loop turns. */
async function until(found: () => boolean): Promise<void> {
  while (!found()) await new Promise((resolve) => setImmediate(resolve));
}

describe("the learner's loop", () => {
  // The endless loop is caught in seconds; on a busy machine the whole run may take longer.
  const LONG = { timeout: 120_000 };

  it(
    "keeps a finished task's result when a later task loops forever, and names the loop",
    LONG,
    () => {
      edit([...TASK_1_DONE, ['return todo("task 2: multiply");', "while (true) {}"]]);
      try {
        const { code, out } = copy.course(["lesson", "1"]);
        expect(code).toBe(1);
        expect(out).toMatch(/✓ task 1: Add and subtract +2\/2/);
        expect(out).toContain("next: task 2");
        expect(out).toMatch(/failing: "multiplies": .*endless loop/);
        expect(processesOfCopy()).toEqual([]);
      } finally {
        writeFileSync(calculator(), starter);
      }
    },
  );

  it(
    "redraws the whole table after a save in watch mode, and stops at the first Ctrl-C",
    LONG,
    async () => {
      const child = copy.start(["lesson", "1", "--watch"]);
      let out = "";
      const waiters: { pattern: RegExp; resolve: () => void }[] = [];
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        for (const waiter of [...waiters]) {
          if (waiter.pattern.test(out)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve();
          }
        }
      });
      const printed = (pattern: RegExp) =>
        new Promise<void>((resolve) =>
          pattern.test(out) ? resolve() : waiters.push({ pattern, resolve }),
        );
      const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
      try {
        await printed(/watching your files/);
        out = "";
        edit(TASK_1_DONE);
        await printed(/watching your files/);
        expect(out).toContain("changed: lessons/01-local-call/calculator.ts");
        expect(out).toMatch(/✓ task 1: Add and subtract +2\/2/);
        // the tests that were not rerun still count
        expect(out).toMatch(/task 4: Find a method by its name +0\/7/);
        expect(out).toMatch(/task 5: Send only data +0\/7/);
      } finally {
        child.kill("SIGINT");
        writeFileSync(calculator(), starter);
      }
      expect(await exited).toBe(0);
      expect(processesOfCopy()).toEqual([]);
    },
  );

  it("stops at the first Ctrl-C even while the first run is still going", LONG, async () => {
    const child = copy.start(["lesson", "1", "--watch"]);
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    // Ctrl-C once vitest runs
    await until(() =>
      processesOfCopy().some((pid) =>
        readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("vitest"),
      ),
    );
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(processesOfCopy()).toEqual([]);
  });
});
