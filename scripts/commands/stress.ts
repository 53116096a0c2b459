import { parseArgs } from "node:util";
import { findLesson, listLessons, UsageError, type Lesson } from "../lib/lessons.js";
import { shown } from "../lib/paths.js";
import { runVitest } from "../lib/vitest-run.js";

const USAGE = `usage: npm run stress [-- <lessons…>] [--runs 20] [--parallel 3]
  runs each lesson's tests against the reference solution --runs times, --parallel at once,
  and prints every test that failed even once, with how often and its first message.`;

interface Tally {
  failed: number;
  message: string;
}

/**
 * npm run stress: are the tests steady? A test that waits on a clock instead of an event
 * passes on a quiet machine and fails on a busy one; running the same lesson several times at
 * once makes the machine busy on purpose (like the MIT distributed-systems labs' dstest).
 */
export async function stress(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      runs: { type: "string", default: "20" },
      parallel: { type: "string", default: "3" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return (console.log(USAGE), 0);
  const runs = Number(values.runs);
  const parallel = Number(values.parallel);
  if (!(runs >= 1 && parallel >= 1)) throw new UsageError(USAGE);
  const lessons = positionals.length ? positionals.map(findLesson) : listLessons();
  let unsteady = 0;
  for (const lesson of lessons) {
    const started = Date.now();
    const { tally, broken } = await stressLesson(lesson, runs, parallel);
    const seconds = Math.round((Date.now() - started) / 1000);
    const failing = [...tally.entries()].filter(([, t]) => t.failed > 0);
    const mark = failing.length || broken ? "✗" : "✓";
    console.log(
      `${mark} ${lesson.name.padEnd(32)} ${runs} runs, ${parallel} at once, ${seconds} s` +
        (failing.length ? `: ${failing.length} unsteady tests` : "") +
        (broken ? `, ${broken} runs did not finish` : ""),
    );
    for (const [test, { failed, message }] of failing) {
      console.log(`    ${failed}/${runs}  ${test}\n          ${message}`);
    }
    if (failing.length || broken) unsteady += 1;
  }
  console.log(`\nstress: ${lessons.length - unsteady} passed, ${unsteady} failed`);
  return unsteady ? 1 : 0;
}

async function stressLesson(lesson: Lesson, runs: number, parallel: number) {
  const tally = new Map<string, Tally>();
  let broken = 0;
  let next = 0;
  const lane = async () => {
    while (next < runs) {
      next += 1;
      const { results } = await runVitest({
        targets: [shown(lesson.dir) + "/"],
        tree: "solutions",
        quiet: true,
      });
      if (results.tests.length === 0 || results.brokenFiles.length) broken += 1;
      for (const test of results.tests) {
        const name = `${shown(test.file)} › ${test.name}`;
        const entry = tally.get(name) ?? { failed: 0, message: "" };
        if (test.state === "failed") {
          entry.failed += 1;
          entry.message ||= test.failure?.message.split("\n")[0] ?? "failed";
        }
        tally.set(name, entry);
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return { tally, broken };
}
