import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { findExistingBroker } from "../shared/broker/find-broker.js";
import { findLesson, listLessons, type Lesson } from "../scripts/lib/lessons.js";
import { ROOT } from "../scripts/lib/paths.js";

/**
 * `npm run bench -- --loop`: what the learner's loop costs. Each lesson's `npm run lesson N`,
 * on the shipped starter and with `-- --solution`, beside the floor — a bare `npx vitest run`
 * of a file holding one `expect(1).toBe(1)` — measured in turn, round after round, so that a
 * noisy minute spoils both sides alike; the table shows medians and the ratio to the floor.
 * With `--watch`, also the time from a save to the new screen in watch mode.
 */
const USAGE = `usage: npm run bench -- --loop [--lessons 1,3,9] [--rounds 3] [--watch 1,3,9]`;

export async function benchLoop(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      lessons: { type: "string" },
      rounds: { type: "string", default: "3" },
      watch: { type: "string", default: "1,3,9" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return (console.log(USAGE), 0);
  const rounds = Math.max(1, Number(values.rounds) || 3);
  const broker = await findExistingBroker();
  const wanted = values.lessons ? values.lessons.split(",").map(findLesson) : listLessons();
  const lessons = wanted.filter((lesson) => needsNoBroker(lesson) || (broker && "url" in broker));
  const skipped = wanted.length - lessons.length;
  const floor = floorTest();
  try {
    console.log(`the loop, ${rounds} rounds, medians (floor: npx vitest run of one test)\n`);
    console.log("| lesson | floor | starter | × floor | solution | × floor |");
    console.log("|---|---|---|---|---|---|");
    for (const lesson of lessons) {
      const times = { floor: [] as number[], starter: [] as number[], solution: [] as number[] };
      for (let round = 0; round < rounds; round++) {
        times.floor.push(timed("npx", ["vitest", "run", "--root", floor.dir]));
        times.starter.push(timed("npm", ["run", "lesson", String(lesson.number)], lesson));
        times.floor.push(timed("npx", ["vitest", "run", "--root", floor.dir]));
        times.solution.push(
          timed("npm", ["run", "lesson", String(lesson.number), "--", "--solution"], lesson),
        );
      }
      const f = median(times.floor);
      const s = median(times.starter);
      const r = median(times.solution);
      console.log(
        `| ${lesson.name} | ${sec(f)} | ${sec(s)} | ${(s / f).toFixed(2)}× | ${sec(r)} | ${(r / f).toFixed(2)}× |`,
      );
    }
    if (skipped)
      console.log(`\n(${skipped} broker lessons left out: run \`npm run broker\` first)`);
    const watched = values.watch
      .split(",")
      .filter(Boolean)
      .map(findLesson)
      .filter((lesson) => lessons.some((measured) => measured.name === lesson.name));
    if (watched.length) {
      console.log("\n| lesson | watch mode: save → new screen (median) |\n|---|---|");
      for (const lesson of watched) {
        const seconds = await watchUpdates(lesson, rounds);
        console.log(`| ${lesson.name} | ${sec(median(seconds))} |`);
      }
    }
  } finally {
    rmSync(floor.dir, { recursive: true, force: true });
  }
  return 0;
}

function needsNoBroker(lesson: Lesson): boolean {
  return lesson.number < 8 || lesson.number > 10;
}

/** A folder with one test and no config: vitest as bare as it comes. */
function floorTest(): { dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "course-floor-"));
  writeFileSync(
    path.join(dir, "one.test.ts"),
    'import { expect, it } from "vitest";\nit("one", () => expect(1).toBe(1));\n',
  );
  return { dir };
}

/** Wall seconds of one command, run from the course root as a learner types it. */
function timed(command: string, args: string[], _lesson?: Lesson): number {
  const started = process.hrtime.bigint();
  spawnSync(command, args, { cwd: ROOT, stdio: "ignore", env: { ...process.env, CI: "" } });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * Starts `npm run lesson N -- --watch`, waits for its first screen, then saves one of the
 * learner's files unchanged `rounds` times, timing each save until the next screen is drawn.
 */
async function watchUpdates(lesson: Lesson, rounds: number): Promise<number[]> {
  const child = spawn(process.execPath, ["scripts/lesson.mjs", String(lesson.number), "--watch"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "ignore"],
  });
  let screens = 0;
  const waiters: (() => void)[] = [];
  child.stdout!.on("data", (chunk: Buffer) => {
    const drawn = chunk.toString().split(/watching your files|正在监视/).length - 1;
    for (let i = 0; i < drawn; i++) {
      screens += 1;
      waiters.shift()?.();
    }
  });
  const nextScreen = () => new Promise<void>((resolve) => waiters.push(resolve));
  const seconds: number[] = [];
  try {
    if (screens === 0) await nextScreen();
    // A save that changes nothing reruns nothing: each round adds a blank line, or takes it away.
    const file = learnerFile(lesson);
    const original = readFileSync(file, "utf8");
    try {
      for (let round = 0; round < rounds; round++) {
        const drawn = nextScreen();
        const started = process.hrtime.bigint();
        writeFileSync(file, round % 2 === 0 ? original + "\n" : original);
        await drawn;
        seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
      }
    } finally {
      writeFileSync(file, original);
    }
  } finally {
    try {
      process.kill(-child.pid!, "SIGINT");
    } catch {
      // gone
    }
  }
  return seconds;
}

/** The lesson's first file that the learner edits (not a test, a demo or a hint). */
function learnerFile(lesson: Lesson): string {
  const result = spawnSync("git", ["ls-files", path.relative(ROOT, lesson.dir)], {
    cwd: ROOT,
    encoding: "utf8",
  });
  const files = result.stdout
    .split("\n")
    .filter((f) => f.endsWith(".ts") && !/\.test\.ts$|demo/.test(f));
  return path.join(ROOT, files[0] ?? path.relative(ROOT, path.join(lesson.dir, "README.md")));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function sec(seconds: number): string {
  return `${seconds.toFixed(2)} s`;
}
