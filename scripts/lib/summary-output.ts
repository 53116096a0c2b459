import { findLesson, readmeLink } from "./lessons.js";
import { isDone, nextTask, type LessonSummary } from "./results.js";
import { currentTree } from "./trees.js";

export function printLessonSummary(summary: LessonSummary, log = console.log): void {
  const lesson = findLesson(summary.lesson);
  const whose = currentTree() === "solutions" ? "the reference solution" : "your files";
  log(`\nLesson ${summary.lesson} — ${whose}`);
  for (const task of summary.tasks) {
    const mark = task.passed === task.total ? "✓" : task.passed > 0 ? "✗" : "·";
    const label = `task ${task.task}: ${task.title}`;
    log(`  ${mark} ${label.padEnd(48)} ${task.passed}/${task.total}`);
  }
  for (const broken of summary.brokenFiles) {
    log(`  ✗ could not load ${broken.file}: ${broken.message}`);
  }
  if (isDone(summary)) {
    log(`all ${summary.tasks.length} tasks pass.`);
    if (currentTree() === "lessons") {
      log(`  compare with the reference: npm run diff ${lesson.number}`);
      log(`  then go on:                 npm run lesson ${lesson.number + 1}`);
    }
    return;
  }
  const next = nextTask(summary);
  if (!next) return;
  log(`next: task ${next.task} — see ${readmeLink(lesson, next.task)}`);
  const failure = next.firstFailure;
  if (failure) {
    log(`  failing: "${failure.test}": ${failure.message}`);
    if (failure.location) log(`  where:   ${failure.location}`);
  }
  log(`  stuck?   npm run hint ${lesson.number}`);
}
