import path from "node:path";
import { readHints, taskTitle } from "../lib/hints.js";
import { findLesson, readmeLink } from "../lib/lessons.js";
import { language, messages } from "../lib/messages.js";
import { shown } from "../lib/paths.js";
import { nextTask, summarize } from "../lib/results.js";
import { readState, writeState } from "../lib/state.js";
import { failureText } from "../lib/summary-output.js";
import { runVitest } from "../lib/vitest-run.js";

/** npm run hint <N>: one more hint for the first task whose tests fail. */
export async function hint(args: string[]): Promise<number> {
  const say = messages();
  const lesson = findLesson(args[0]);
  const { results } = await runVitest({
    targets: [shown(lesson.dir) + "/"],
    tree: "lessons",
    quiet: true,
  });
  const summary = summarize(results).find((s) => s.lesson === lesson.name);
  const next = summary && nextTask(summary);
  if (!next) {
    const broken = summary?.brokenFiles[0];
    console.log(
      broken
        ? say.doesNotLoad(lesson.name, broken.message)
        : say.hintAllPass(lesson.name, lesson.number),
    );
    return broken ? 1 : 0;
  }
  const hints = hintsFor(lesson.dir, next.task);
  const state = readState();
  const key = `${lesson.name}#${next.task}`;
  const seen = state.hintsSeen[key] ?? 0;
  const title = taskTitle(lesson, next.task, next.title);
  console.log(say.hintHeader(next.task, title, readmeLink(lesson, next.task)));
  if (next.firstFailure) {
    console.log(say.hintFailing(next.firstFailure.test, failureText(next.firstFailure)));
  }
  if (hints.length === 0) {
    console.log(say.hintNone);
    return 0;
  }
  const index = Math.min(seen, hints.length - 1);
  const shownHint = hints[index]!;
  console.log(`\n${say.hint(index + 1, hints.length, shownHint.title)}\n\n${shownHint.body}\n`);
  console.log(
    index + 1 < hints.length ? say.hintAgain(lesson.number) : say.hintLast(lesson.number),
  );
  state.hintsSeen[key] = seen + 1;
  writeState(state);
  return 0;
}

/** The task's hints in the CLI's language: hints.zh-CN.md in Chinese when it has them. */
function hintsFor(lessonDir: string, task: number) {
  const english = readHints(path.join(lessonDir, "hints.md")).get(task) ?? [];
  if (language() !== "zh") return english;
  return readHints(path.join(lessonDir, "hints.zh-CN.md")).get(task) ?? english;
}
