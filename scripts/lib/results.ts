import path from "node:path";
import { LESSONS_DIR } from "./paths.js";

/** What one test run produced, as the task reporter writes it to disk. */
export interface RunResults {
  tests: TestOutcome[];
  /** Test files that could not even be loaded (a syntax error, a missing export...). */
  brokenFiles: { file: string; message: string }[];
}

export interface TestOutcome {
  file: string;
  /** From the top-level describe block: "task 2: multiply and divide" → 2. */
  task: number | null;
  taskTitle: string;
  name: string;
  state: "passed" | "failed" | "skipped" | "pending";
  failure?: Failure;
  /** Tagged "slow": left out of `npm run lesson N` unless `-- --full`. */
  slow?: boolean;
}

export interface Failure {
  message: string;
  /** "lessons/01-local-call/calculator.ts:12" — where the learner should look. */
  location?: string;
  /** "lessons/01-local-call/calculator.test.ts:30" — the check that failed. */
  testLocation?: string;
  /** Set when the starter's todo("task N: ...") was hit. */
  notImplemented?: string;
}

export interface TaskSummary {
  task: number;
  title: string;
  passed: number;
  total: number;
  firstFailure?: { test: string } & Failure;
}

export interface LessonSummary {
  lesson: string;
  tasks: TaskSummary[];
  brokenFiles: RunResults["brokenFiles"];
}

export function parseTaskTitle(describeName: string): { task: number | null; title: string } {
  const match = /^task\s+(\d+)\s*[:.—-]?\s*(.*)$/i.exec(describeName.trim());
  return match ? { task: Number(match[1]), title: match[2]! } : { task: null, title: describeName };
}

/** "…/lessons/03-raw-tcp/framing.test.ts" → "03-raw-tcp" */
export function lessonOf(file: string): string | null {
  const relative = path.relative(LESSONS_DIR, file);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return null;
  return relative.split(path.sep)[0] ?? null;
}

export function summarize(results: RunResults): LessonSummary[] {
  const byLesson = new Map<string, LessonSummary>();
  const summaryFor = (lesson: string) => {
    let summary = byLesson.get(lesson);
    if (!summary) {
      summary = { lesson, tasks: [], brokenFiles: [] };
      byLesson.set(lesson, summary);
    }
    return summary;
  };
  for (const outcome of results.tests) {
    const lesson = lessonOf(outcome.file);
    if (!lesson || outcome.task === null || outcome.state === "skipped") continue;
    const summary = summaryFor(lesson);
    let task = summary.tasks.find((t) => t.task === outcome.task);
    if (!task) {
      task = { task: outcome.task, title: outcome.taskTitle, passed: 0, total: 0 };
      summary.tasks.push(task);
    }
    task.total += 1;
    if (outcome.state === "passed") task.passed += 1;
    else if (!task.firstFailure && outcome.failure) {
      task.firstFailure = { test: outcome.name, ...outcome.failure };
    }
  }
  for (const broken of results.brokenFiles) {
    const lesson = lessonOf(broken.file);
    if (lesson) summaryFor(lesson).brokenFiles.push(broken);
  }
  for (const summary of byLesson.values()) summary.tasks.sort((a, b) => a.task - b.task);
  return [...byLesson.values()].sort((a, b) => a.lesson.localeCompare(b.lesson));
}

export function nextTask(summary: LessonSummary): TaskSummary | undefined {
  return summary.tasks.find((task) => task.passed < task.total);
}

export function isDone(summary: LessonSummary): boolean {
  return summary.brokenFiles.length === 0 && summary.tasks.every((t) => t.passed === t.total);
}

/** The first stack frame in a course file that is not a test: where the work is. */
export function locationFromStack(stack: string | undefined, root: string): string | undefined {
  return framesOf(stack, root).find((frame) => !/\.test\.ts:/.test(frame));
}

/** The first stack frame in a lesson's test file: the check that failed. */
export function testLocationFromStack(stack: string | undefined, root: string): string | undefined {
  return framesOf(stack, root).find((frame) => /\.test\.ts:/.test(frame));
}

/** "lessons/03-raw-tcp/framing.ts:12" for every frame of the stack in lessons/ or solutions/. */
function framesOf(stack: string | undefined, root: string): string[] {
  if (!stack) return [];
  const frames: string[] = [];
  for (const line of stack.split("\n")) {
    const match = /((?:[A-Za-z]:)?[^\s()]+\.ts):(\d+)(?::\d+)?/.exec(line.replace(/file:\/\//, ""));
    if (!match) continue;
    const relative = path.relative(root, match[1]!).split(path.sep).join("/");
    if (/^(lessons|solutions)\//.test(relative)) frames.push(`${relative}:${match[2]}`);
  }
  return frames;
}

/**
 * Folds the tests the watchdog had to stop into the results. Vitest loses the results of a
 * stopped worker's file, so the tests it had finished get theirs back from the worker's own
 * record; the stuck one fails with a message that says what happened; the ones after it did not
 * run; and the "worker exited" error of its file, which only repeats it, goes away.
 */
export function withStuckTests(
  results: RunResults,
  stuck: {
    file: string;
    describe: string;
    test: string;
    seconds: number;
    finished?: { file: string; name: string; passed: boolean; message?: string }[];
  }[],
  message: (seconds: number, test: string) => string,
  notRun = "did not run: an earlier test of its file never returned",
): RunResults {
  const tests = [...results.tests];
  const brokenFiles = results.brokenFiles.filter((b) => !stuck.some((s) => s.file === b.file));
  for (const one of stuck) {
    const { task, title } = parseTaskTitle(one.describe);
    const failure: Failure = { message: message(one.seconds, one.test) };
    for (const [index, test] of tests.entries()) {
      if (test.file !== one.file || test.state === "skipped") continue;
      const finished = one.finished?.find((f) => f.file === test.file && f.name === test.name);
      if (test.name === one.test) continue;
      tests[index] = finished?.passed
        ? { ...test, state: "passed", failure: undefined }
        : { ...test, state: "failed", failure: { message: finished?.message ?? notRun } };
    }
    const at = tests.findIndex((t) => t.file === one.file && t.name === one.test);
    const outcome: TestOutcome = {
      file: one.file,
      task,
      taskTitle: title,
      name: one.test || "(loading the test file)",
      state: "failed",
      failure,
    };
    if (at >= 0) tests[at] = { ...tests[at]!, state: "failed", failure };
    else if (task !== null) tests.push(outcome);
    else brokenFiles.push({ file: one.file, message: failure.message });
  }
  return { tests, brokenFiles };
}
