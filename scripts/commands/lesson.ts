import { watch as watchFiles } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { findLesson, type Lesson } from "../lib/lessons.js";
import { messages } from "../lib/messages.js";
import { shown } from "../lib/paths.js";
import { rememberResults } from "../lib/results-cache.js";
import { summarize, withStuckTests } from "../lib/results.js";
import { printLessonSummary } from "../lib/summary-output.js";
import type { Tree } from "../lib/trees.js";
import { typecheckLesson } from "../lib/typecheck.js";
import { runVitest } from "../lib/vitest-run.js";

const FLAGS = ["solution", "watch", "verbose", "all"] as const;

/**
 * `npm run lesson 1 --solution` (without `--`) makes npm keep the flag as its own config and
 * pass it on only as npm_config_solution=true in the environment: honour it, and say so.
 */
export function flagsFromNpm(env: NodeJS.ProcessEnv = process.env): string[] {
  return FLAGS.filter((flag) => env[`npm_config_${flag}`] === "true");
}

/** npm run lesson <N> [-- --solution] [-- --watch] [-- --verbose] */
export async function lesson(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      solution: { type: "boolean" },
      watch: { type: "boolean" },
      verbose: { type: "boolean" },
      all: { type: "boolean" },
    },
  });
  const found = findLesson(positionals[0]);
  const fromNpm = flagsFromNpm();
  const flags = new Set([...FLAGS.filter((flag) => values[flag]), ...fromNpm]);
  for (const flag of fromNpm) {
    console.error(messages().flagFromNpm(flag, `npm run lesson ${found.number} -- --${flag}`));
  }
  const options = {
    tree: (flags.has("solution") ? "solutions" : "lessons") as Tree,
    verbose: flags.has("verbose") || flags.has("all"),
  };
  if (flags.has("watch")) return watchLesson(found, options);
  return (await checkLesson(found, options)) ? 0 : 1;
}

/** One run of the lesson's tests, with the type check beside it; prints the one screen. */
async function checkLesson(
  lesson: Lesson,
  { tree, verbose }: { tree: Tree; verbose: boolean },
): Promise<boolean> {
  const dir = tree === "solutions" ? lesson.solutionDir : lesson.dir;
  const [run, compileErrors] = await Promise.all([
    runVitest({ targets: [shown(lesson.dir) + "/"], tree, quiet: !verbose }),
    typecheckLesson(lesson, dir),
  ]);
  const results = withStuckTests(run.results, run.stuck, messages().stuckTest);
  const summary = summarize(results).find((s) => s.lesson === lesson.name);
  if (!summary && run.code !== 0 && run.code !== 1 && run.stderr) {
    // vitest itself failed (not a test): show its own words.
    console.error(run.stderr.trim().split("\n").slice(-15).join("\n"));
  }
  if (tree === "lessons") rememberResults(lesson, summary);
  return printLessonSummary(summary, { tree, compileErrors }, lesson);
}

/**
 * Reruns the whole lesson on every save (vitest's own watch mode reruns only the tests of the
 * file that changed, so its table would forget the other tasks), clearing the screen first.
 */
async function watchLesson(
  lesson: Lesson,
  options: { tree: Tree; verbose: boolean },
): Promise<number> {
  const say = messages();
  let running = false;
  let changed: string | undefined;
  const rerun = async (file?: string) => {
    if (running) {
      changed = file;
      return;
    }
    running = true;
    process.stdout.write("\x1b[2J\x1b[H");
    if (file) console.log(say.changed(file));
    await checkLesson(lesson, options);
    console.log(`\n${say.watching}`);
    running = false;
    if (changed !== undefined) {
      const next = changed;
      changed = undefined;
      await rerun(next);
    }
  };
  const dirs = [lesson.dir, ...(options.tree === "solutions" ? [lesson.solutionDir] : [])];
  let timer: NodeJS.Timeout | undefined;
  for (const dir of dirs) {
    watchFiles(dir, (_event, name) => {
      if (!name || !/\.(ts|md)$/.test(name)) return;
      clearTimeout(timer); // an editor's save is often several events
      timer = setTimeout(() => void rerun(shown(path.join(dir, name))), 150);
    });
  }
  await rerun();
  return new Promise<number>((resolve) => process.once("SIGINT", () => resolve(0)));
}
