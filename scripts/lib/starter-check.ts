import { existsSync } from "node:fs";
import path from "node:path";
import { readHints } from "./hints.js";
import { readTaskHeadings, type Lesson } from "./lessons.js";
import type { LessonSummary } from "./results.js";

/**
 * A lesson is complete or absent. This lists what keeps one from being complete:
 * a missing part, a task the README and the tests disagree on, or a starter that already
 * passes a task (then that task's tests prove nothing).
 */
export function lessonProblems(lesson: Lesson, starter: LessonSummary | undefined): string[] {
  const problems: string[] = [];
  const readme = path.join(lesson.dir, "README.md");
  if (!existsSync(readme)) problems.push("has no README.md");
  if (!existsSync(lesson.solutionDir)) problems.push(`has no solutions/${lesson.name}`);
  if (!starter || starter.tasks.length === 0) {
    problems.push('has no tests in describe("task N: ...") blocks');
    return problems;
  }
  const readmeTasks = readTaskHeadings(readme).map((h) => h.task);
  const testTasks = starter.tasks.map((t) => t.task);
  const hints = readHints(path.join(lesson.dir, "hints.md"));
  for (const task of testTasks) {
    if (!readmeTasks.includes(task))
      problems.push(`task ${task} is tested but has no "### Task ${task}" in README.md`);
    if (!hints.get(task)?.length) problems.push(`task ${task} has no hint in hints.md`);
  }
  for (const task of readmeTasks) {
    if (!testTasks.includes(task))
      problems.push(`README.md has task ${task}, but no test is grouped under it`);
  }
  for (const task of starter.tasks) {
    if (task.passed === task.total) {
      problems.push(
        `the shipped starter already passes every test of task ${task.task}: its tests prove nothing`,
      );
    }
  }
  for (const broken of starter.brokenFiles)
    problems.push(`a test file does not load: ${broken.message}`);
  return problems;
}
