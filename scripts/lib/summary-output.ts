import { findLesson, readmeLink } from "./lessons.js";
import { messages } from "./messages.js";
import { isDone, nextTask, type LessonSummary } from "./results.js";
import { currentTree } from "./trees.js";

export function printLessonSummary(summary: LessonSummary, log = console.log): void {
  const say = messages();
  const lesson = findLesson(summary.lesson);
  log(`\n${say.summaryTitle(summary.lesson, currentTree() === "solutions")}`);
  for (const task of summary.tasks) {
    const mark = task.passed === task.total ? "✓" : task.passed > 0 ? "✗" : "·";
    const label = `task ${task.task}: ${task.title}`;
    log(`  ${mark} ${label.padEnd(48)} ${task.passed}/${task.total}`);
  }
  for (const broken of summary.brokenFiles) {
    log(`  ✗ ${say.cannotLoad(broken.file, broken.message)}`);
  }
  if (isDone(summary)) {
    log(say.allPass(summary.tasks.length));
    if (currentTree() === "lessons") {
      log(say.compare(lesson.number));
      log(say.goOn(lesson.number + 1));
    }
    return;
  }
  const next = nextTask(summary);
  if (!next) return;
  log(say.next(next.task, readmeLink(lesson, next.task)));
  const failure = next.firstFailure;
  if (failure) {
    log(say.failing(failure.test, failure.message));
    if (failure.location) log(say.where(failure.location));
  }
  log(say.stuck(lesson.number));
}
