import path from "node:path";
import { findLesson, readmeLink } from "../lib/lessons.js";
import { readHints } from "../lib/hints.js";
import { shown } from "../lib/paths.js";
import { nextTask, summarize } from "../lib/results.js";
import { readState, writeState } from "../lib/state.js";
import { runVitest } from "../lib/vitest-run.js";

/** npm run hint <N>: one more hint for the first task whose tests fail. */
export async function hint(args: string[]): Promise<number> {
  const lesson = findLesson(args[0]);
  const { results } = await runVitest({
    targets: [shown(lesson.dir) + "/"],
    tree: "lessons",
    quiet: true,
  });
  const summary = summarize(results).find((s) => s.lesson === lesson.name);
  const next = summary && nextTask(summary);
  if (!next) {
    console.log(
      summary?.brokenFiles.length
        ? `lesson ${lesson.name} does not load: ${summary.brokenFiles[0]!.message}`
        : `every task of lesson ${lesson.name} passes — no hint needed. Compare: npm run diff ${lesson.number}`,
    );
    return summary?.brokenFiles.length ? 1 : 0;
  }
  const hints = readHints(path.join(lesson.dir, "hints.md")).get(next.task) ?? [];
  const state = readState();
  const key = `${lesson.name}#${next.task}`;
  const seen = state.hintsSeen[key] ?? 0;
  console.log(`task ${next.task}: ${next.title} — ${readmeLink(lesson, next.task)}`);
  if (next.firstFailure)
    console.log(`failing: "${next.firstFailure.test}": ${next.firstFailure.message}`);
  if (hints.length === 0) {
    console.log(`\nthis task has no hints; the README section above walks through it.`);
    return 0;
  }
  const shownHint = hints[Math.min(seen, hints.length - 1)]!;
  const number = Math.min(seen, hints.length - 1) + 1;
  console.log(`\nhint ${number} of ${hints.length}: ${shownHint.title}\n\n${shownHint.body}\n`);
  if (number < hints.length) {
    console.log(`(run "npm run hint ${lesson.number}" again for the next one)`);
  } else {
    console.log(`(that was the last hint; "npm run diff ${lesson.number}" shows the solution)`);
  }
  state.hintsSeen[key] = seen + 1;
  writeState(state);
  return 0;
}
