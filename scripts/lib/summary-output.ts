import path from "node:path";
import { findLesson, listLessons, readmeLink, readTaskHeadings, type Lesson } from "./lessons.js";
import { language, messages, type Language } from "./messages.js";
import type { Failure, LessonSummary, RunResults, TaskSummary } from "./results.js";
import type { Tree } from "./trees.js";

/** A compile error, shown above the table: "lessons/01-local-call/calculator.ts:12:5 ..." */
export interface CompileError {
  location: string;
  message: string;
}

export interface ScreenOptions {
  tree: Tree;
  compileErrors?: CompileError[];
  log?: (line: string) => void;
  /** The CLI's language unless given (README sample screens are checked in both). */
  lang?: Language;
}

const MAX_COMPILE_ERRORS = 6;
const MAX_MESSAGE = 240;

/** The task titles of the lesson's README, in the CLI's language when a translation exists. */
export function readmeTasks(
  lesson: Lesson,
  lang: Language = language(),
): { task: number; title: string }[] {
  const english = readTaskHeadings(path.join(lesson.dir, "README.md"));
  if (lang !== "zh") return english;
  const chinese = readTaskHeadings(path.join(lesson.dir, "README.zh-CN.md"));
  return english.map((h) => chinese.find((c) => c.task === h.task) ?? h);
}

/** Pads to a width in terminal columns: a CJK character takes two. */
function padColumns(text: string, width: number): string {
  let columns = 0;
  for (const char of text)
    columns +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
        char,
      )
        ? 2
        : 1;
  return text + " ".repeat(Math.max(0, width - columns));
}

function short(text: string): string {
  const line = text.split("\n")[0]!;
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE)}…` : line;
}

/** The first line of a failure, in words a learner can act on, in the screen's language. */
export function failureText(failure: Failure, lang: Language = language()): string {
  const say = messages(lang);
  if (failure.notImplemented)
    return say.notImplemented(failure.notImplemented.replace(/^not implemented yet — /, ""));
  const timeout = /^Test timed out in (\d+)ms/.exec(failure.message);
  if (timeout) return say.timedOut(Math.round(Number(timeout[1]) / 1000));
  return short(failure.message);
}

/** The lesson after this one, if the course has it. */
function nextLesson(lesson: Lesson): Lesson | undefined {
  return listLessons().find((other) => other.number > lesson.number);
}

/** Test files that failed to load for the same reason: one line for all of them. */
function groupBroken(broken: RunResults["brokenFiles"]): { files: string[]; message: string }[] {
  const groups: { files: string[]; message: string }[] = [];
  for (const { file, message } of broken) {
    const line = short(message);
    const group = groups.find((g) => g.message === line);
    if (group) group.files.push(path.relative(process.cwd(), file));
    else groups.push({ files: [path.relative(process.cwd(), file)], message: line });
  }
  return groups;
}

/**
 * The one screen about a lesson: compile errors first, then the task table, then the next
 * task's first failure with where to look, the README section and the hint command.
 * Returns whether the lesson is done (every task of the README ran and passed).
 */
export function printLessonSummary(
  summary: LessonSummary | undefined,
  { tree, compileErrors = [], log = console.log, lang = language() }: ScreenOptions,
  lesson: Lesson = findLesson(summary!.lesson),
): boolean {
  const say = messages(lang);
  const tasks = summary?.tasks ?? [];
  const broken = summary?.brokenFiles ?? [];
  log(`\n${say.summaryTitle(lesson.name, tree === "solutions")}`);

  if (compileErrors.length) {
    log(say.compileErrors(compileErrors.length));
    for (const error of compileErrors.slice(0, MAX_COMPILE_ERRORS)) {
      log(`    ${error.location}  ${short(error.message)}`);
    }
    if (compileErrors.length > MAX_COMPILE_ERRORS) {
      log(`    ${say.moreErrors(compileErrors.length - MAX_COMPILE_ERRORS)}`);
    }
    log("");
  }

  const readme = readmeTasks(lesson, lang);
  const numbers = [...new Set([...readme.map((t) => t.task), ...tasks.map((t) => t.task)])].sort(
    (a, b) => a - b,
  );
  for (const number of numbers) {
    const ran = tasks.find((t) => t.task === number);
    const title = readme.find((t) => t.task === number)?.title ?? ran?.title ?? "";
    const label = say.taskLabel(number, title);
    if (!ran) {
      log(`  – ${padColumns(label, 48)} ${say.notRun}`);
      continue;
    }
    const mark = ran.passed === ran.total ? "✓" : ran.passed > 0 ? "✗" : "·";
    log(`  ${mark} ${padColumns(label, 48)} ${ran.passed}/${ran.total}`);
  }
  // A file that does not compile cannot load either: its compile error above says it once.
  for (const group of compileErrors.length ? [] : groupBroken(broken)) {
    const files = group.files.length === 1 ? group.files[0]! : say.files(group.files);
    log(`  ✗ ${say.cannotLoad(files, group.message)}`);
  }
  const slowLeftOut = summary?.slowLeftOut ?? 0;
  if (slowLeftOut > 0) log(say.slowLeftOut(slowLeftOut, lesson.number));

  const allRan = numbers.every((n) => tasks.some((t) => t.task === n));
  const allPass = tasks.every((t) => t.passed === t.total);
  if (allRan && allPass && broken.length === 0 && compileErrors.length === 0) {
    log(say.allPass(tasks.length));
    if (tree === "lessons") {
      log(say.compare(lesson.number));
      const next = nextLesson(lesson);
      log(next ? say.goOn(next.number) : say.lastLesson);
    }
    return true;
  }
  if (!allRan && allPass && broken.length === 0) {
    // Only some of the lesson's tests ran (vitest on one file): no claim about the lesson.
    log(say.partialRun(lesson.number));
    return false;
  }
  const next: TaskSummary | undefined = tasks.find((task) => task.passed < task.total);
  if (next) {
    log(say.next(next.task, readmeLink(lesson, next.task, lang)));
    const failure = next.firstFailure;
    if (failure) {
      log(say.failing(failure.test, failureText(failure, lang)));
      if (failure.needsTask !== undefined) {
        log(say.needs(failure.needsTask, next.task, readmeLink(lesson, failure.needsTask, lang)));
      }
      if (failure.location) log(say.where(failure.location));
      if (failure.testLocation) log(say.testAt(failure.testLocation));
    }
  } else if (broken.length || compileErrors.length) {
    log(say.fixCompileFirst);
  }
  log(say.stuck(lesson.number));
  return false;
}
