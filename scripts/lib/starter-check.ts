import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { readHints } from "./hints.js";
import { readTaskHeadings, type Lesson } from "./lessons.js";
import type { Language } from "./messages.js";
import type { LessonSummary } from "./results.js";
import { printLessonSummary } from "./summary-output.js";

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
    } else if (task.passed > 0) {
      problems.push(
        `the shipped starter already passes ${task.passed} of task ${task.task}'s ${task.total} ` +
          "tests, so an untouched lesson looks begun: test given code outside the task's describe",
      );
    }
    const failure = task.firstFailure;
    if (failure && !(failure.notImplemented && failure.location)) {
      problems.push(
        `task ${task.task}'s first failing test ("${failure.test}") reaches no todo of a file ` +
          `the learner edits, so the screen cannot say where to work: ${failure.message}`,
      );
    }
  }
  for (const broken of starter.brokenFiles)
    problems.push(`a test file does not load: ${broken.message}`);
  problems.push(...sampleScreenProblems(lesson, starter));
  return problems;
}

/** A sample screen in a README: the block's first line says which language it shows. */
export interface SampleScreen {
  file: string;
  line: number;
  lang: Language;
  text: string;
}

/** The code blocks of a lesson's READMEs that show a screen of `npm run lesson N`. */
export function sampleScreens(lesson: Lesson): SampleScreen[] {
  const screens: SampleScreen[] = [];
  for (const name of ["README.md", "README.zh-CN.md"]) {
    const file = path.join(lesson.dir, name);
    if (!existsSync(file)) continue;
    const lines = readFileSync(file, "utf8").split("\n");
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i]!.startsWith("```")) continue;
      const end = lines.findIndex((l, j) => j > i && l.startsWith("```"));
      if (end < 0) break;
      const block = lines.slice(i + 1, end);
      const lang = /^Lesson \d/.test(block[0] ?? "")
        ? "en"
        : /^第 \d/.test(block[0] ?? "")
          ? "zh"
          : null;
      if (lang) screens.push({ file: name, line: i + 2, lang, text: block.join("\n") });
      i = end;
    }
  }
  return screens;
}

/** What `npm run lesson N` prints, in that language, for the lesson's shipped starter. */
export function starterScreen(lesson: Lesson, starter: LessonSummary, lang: Language): string {
  const lines: string[] = [];
  printLessonSummary(starter, { tree: "lessons", lang, log: (l) => lines.push(l) }, lesson);
  return lines.join("\n").trim();
}

/**
 * Each README shows the screen a learner sees on the untouched starter, exactly as the CLI
 * prints it; a sample that differs (a count, a title, a line number) is a problem, with the
 * real screen to paste.
 */
export function sampleScreenProblems(lesson: Lesson, starter: LessonSummary): string[] {
  const problems: string[] = [];
  const screens = sampleScreens(lesson);
  for (const name of ["README.md", "README.zh-CN.md"]) {
    if (existsSync(path.join(lesson.dir, name)) && !screens.some((s) => s.file === name))
      problems.push(`${name} shows no sample screen of npm run lesson ${lesson.number}`);
  }
  for (const screen of screens) {
    const real = starterScreen(lesson, starter, screen.lang);
    if (screen.text.trim() !== real) {
      problems.push(
        `${screen.file}:${screen.line}: the sample screen differs from what npm run lesson ` +
          `${lesson.number} prints for the shipped starter, which is:\n${real}`,
      );
    }
  }
  return problems;
}
