import { readdirSync } from "node:fs";
import path from "node:path";
import { findLesson, listLessons, UsageError } from "../lib/lessons.js";
import { ROOT } from "../lib/paths.js";
import { shown } from "../lib/paths.js";
import { summarize } from "../lib/results.js";
import { lessonProblems } from "../lib/starter-check.js";
import { runVitest } from "../lib/vitest-run.js";

/**
 * npm test: the whole course is sound, as CI checks it (with `npm run test:cli`).
 *   1. every lesson's tests against solutions/, the fault suite and the CLI's unit tests pass;
 *   2. every lesson's tests against its starter as the course ships it must fail, task by task.
 * Step 2 reads the shipped starters (scripts/starters.json.gz), not your files in lessons/:
 * your progress never turns it red. Your own view is npm run progress.
 * `npm test -- 3 5` checks only those lessons (and skips the CLI's tests).
 */
export async function test(args: string[]): Promise<number> {
  const lessons = args.length ? args.map(findLesson) : listLessons();
  const targets = args.length
    ? lessons.map((lesson) => shown(lesson.dir) + "/")
    : ["lessons/", "scripts/", "faults/"];
  console.log(
    "== 1/2  every lesson against the reference solutions, the fault suite, the CLI's unit tests",
  );
  const solutions = await runVitest({
    targets,
    tree: "solutions",
    extraArgs: ["--project=course", "--project=rabbitmq"],
  });
  const passed = solutions.results.tests.filter((t) => t.state === "passed").length;
  let failed = solutions.results.tests.filter((t) => t.state === "failed").length;
  if (solutions.code !== 0 && failed === 0) failed = 1; // e.g. a file that does not load

  console.log("\n== 2/2  every starter, as shipped, fails its own tests, task by task");
  // As `npm run lesson N` runs them (slow checks left out), so the README's sample screens
  // are compared with the screen a learner really sees.
  const starters = await runVitest({
    targets: lessons.map((lesson) => shown(lesson.dir) + "/"),
    tree: "starters",
    quiet: true,
    extraArgs: ["--tags-filter=!slow"],
  });
  const summaries = summarize(starters.results);
  let starterChecks = 0;
  for (const lesson of lessons) {
    const problems = lessonProblems(
      lesson,
      summaries.find((s) => s.lesson === lesson.name),
    );
    const tasks = summaries.find((s) => s.lesson === lesson.name)?.tasks.length ?? 0;
    if (problems.length === 0) {
      starterChecks += 1;
      console.log(`  ✓ ${lesson.name}: the starter fails all ${tasks} tasks`);
    } else {
      failed += 1;
      for (const problem of problems) console.log(`  ✗ ${lesson.name} ${problem}`);
    }
  }
  // A plain closing line that any CI can read.
  console.log(`\ncourse: ${passed + starterChecks} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

/**
 * npm run test:cli: the course CLI end to end, each command a process of its own, as a learner
 * types it: every command a README shows, every screen of the loop, the tester.
 */
export async function testCli(args: string[]): Promise<number> {
  const { code, results } = await runVitest({
    targets: args,
    tree: "solutions",
    extraArgs: ["--project=cli", "--project=cli-rabbitmq"],
  });
  const passed = results.tests.filter((t) => t.state === "passed").length;
  const failed = results.tests.filter((t) => t.state === "failed").length;
  console.log(`\ncli: ${passed} passed, ${failed} failed`);
  return code;
}

/** npm run test:interop: the reference solutions against real peers. */
export async function testInterop(args: string[]): Promise<number> {
  const { code, results } = await runVitest({
    targets: args.length ? args.map(interopTarget) : ["interop/"],
    tree: "solutions",
    config: "vitest.interop.config.ts",
    extraArgs: ["--passWithNoTests"],
  });
  const passed = results.tests.filter((t) => t.state === "passed").length;
  const failed = results.tests.filter((t) => t.state === "failed").length;
  console.log(`\ninterop: ${passed} passed, ${failed} failed`);
  return code;
}

/** `7` or `07` means the interop tests of lesson 7; anything else goes to vitest as it is. */
function interopTarget(arg: string): string {
  if (!/^\d{1,2}$/.test(arg)) return arg;
  const prefix = `${arg.padStart(2, "0")}-`;
  const file = readdirSync(path.join(ROOT, "interop")).find(
    (name) => name.startsWith(prefix) && name.endsWith(".test.ts"),
  );
  if (!file) throw new UsageError(`no interop tests for lesson ${arg}: see interop/`);
  return `interop/${file}`;
}
