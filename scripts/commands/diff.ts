import { formatPatch, structuredPatch, type StructuredPatch } from "diff";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { exerciseFiles, findLesson, UsageError, type Lesson } from "../lib/lessons.js";
import { messages } from "../lib/messages.js";
import { shown } from "../lib/paths.js";
import { shippedFilesOf } from "../lib/starters.js";

/**
 * npm run diff <N> [-- --task K]: your files against the solution's, as one unified diff
 * printed straight to the terminal (no pager to quit once per file). With --task K, only the
 * files where the shipped starter has a todo("task K: ..."), so the other answers stay hidden.
 */
export async function diff(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { task: { type: "string" } },
  });
  const lesson = findLesson(positionals[0]);
  const fromNpm = taskFromNpm(positionals);
  if (fromNpm !== undefined) {
    console.error(
      messages().flagFromNpm("task", `npm run diff ${lesson.number} -- --task ${fromNpm}`),
    );
  }
  const wanted = values.task ?? fromNpm;
  const task = wanted === undefined ? undefined : Number(wanted);
  if (task !== undefined && !Number.isInteger(task)) {
    throw new UsageError(
      `--task takes a task number, e.g. npm run diff ${lesson.number} -- --task 2`,
    );
  }
  const files = task === undefined ? exerciseFiles(lesson) : filesOfTask(lesson, task);
  if (task !== undefined && files.length === 0) {
    throw new UsageError(messages().diffNoTask(lesson.name, task));
  }
  const color = process.stdout.isTTY && !process.env.NO_COLOR;
  let differing = 0;
  for (const file of files) {
    const mine = path.join(lesson.dir, file);
    const theirs = path.join(lesson.solutionDir, file);
    const read = (f: string) => (existsSync(f) ? readFileSync(f, "utf8") : "");
    const before = read(mine);
    const after = read(theirs);
    if (before === after) continue;
    differing += 1;
    const structured = structuredPatch(shown(mine), shown(theirs), before, after, "", "", {
      context: task === undefined ? 3 : 1, // less context: fewer hunks of other tasks merged in
    });
    if (task !== undefined) structured.hunks = structured.hunks.filter(hunkOf(task));
    if (structured.hunks.length === 0) continue;
    const patch = formatPatch(structured);
    process.stdout.write(color ? colorize(patch) : patch);
  }
  const say = messages();
  console.log(differing === 0 ? say.diffSame(lesson.name) : say.diffDiffer(lesson.name, differing));
  return 0;
}

/**
 * `npm run diff 1 --task 2` (without `--`) makes npm keep --task as its own config: it passes
 * npm_config_task=true and leaves "2" among the arguments (npm_config_task=2 for --task=2).
 */
function taskFromNpm(positionals: string[], env: NodeJS.ProcessEnv = process.env) {
  const value = env.npm_config_task;
  if (value === undefined || value === "") return undefined;
  if (value !== "true") return value;
  const number = positionals[1];
  if (number === undefined) {
    throw new UsageError(
      `--task takes a task number, e.g. npm run diff ${positionals[0] ?? 1} -- --task 2`,
    );
  }
  return number;
}

/** The exercise files whose shipped starter leaves a todo of this task. */
function filesOfTask(lesson: Lesson, task: number): string[] {
  const todo = new RegExp(`todo\\(\\s*["'\`]task ${task}\\b`);
  return [...shippedFilesOf(lesson)]
    .filter(([, text]) => todo.test(text))
    .map(([file]) => file)
    .sort();
}

/** Keeps a hunk unless it answers another task: a todo or "Task N" of another number. */
function hunkOf(task: number) {
  return (hunk: StructuredPatch["hunks"][number]): boolean => {
    const tasks = new Set<number>();
    for (const line of hunk.lines) {
      for (const match of line.matchAll(/\b[Tt]ask (\d+)\b/g)) tasks.add(Number(match[1]));
    }
    return tasks.size === 0 || tasks.has(task);
  };
}

function colorize(patch: string): string {
  return patch
    .split("\n")
    .map((line) =>
      line.startsWith("+++") || line.startsWith("---")
        ? `\x1b[1m${line}\x1b[0m`
        : line.startsWith("+")
          ? `\x1b[32m${line}\x1b[0m`
          : line.startsWith("-")
            ? `\x1b[31m${line}\x1b[0m`
            : line.startsWith("@@")
              ? `\x1b[36m${line}\x1b[0m`
              : line,
    )
    .join("\n");
}
