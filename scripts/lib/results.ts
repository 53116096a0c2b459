import { existsSync } from "node:fs";
import path from "node:path";
import { LESSONS_DIR } from "./paths.js";

// The todos a test reached travel from the test worker (todo-setup.ts) in the test's meta.
declare module "@vitest/runner" {
  interface TaskMeta {
    todos?: ReachedTodo[];
  }
}

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
  /** The todo named belongs to this other task: the test needs that task done as well. */
  needsTask?: number;
}

/** A todo() a test reached: "task 7: Consumer.stop" at "lessons/09-amqp-rpc/consumer.ts:54". */
export interface ReachedTodo {
  task: string;
  at?: string;
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
  /** Tests tagged "slow" that this run left out (`npm run lesson N` without `-- --full`). */
  slowLeftOut?: number;
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
    if (lesson && outcome.slow && outcome.state === "skipped") {
      const summary = summaryFor(lesson);
      summary.slowLeftOut = (summary.slowLeftOut ?? 0) + 1;
    }
    if (!lesson || outcome.task === null || outcome.state === "skipped") continue;
    const summary = summaryFor(lesson);
    let task = summary.tasks.find((t) => t.task === outcome.task);
    if (!task) {
      task = { task: outcome.task, title: outcome.taskTitle, passed: 0, total: 0 };
      summary.tasks.push(task);
    }
    task.total += 1;
    if (outcome.state === "passed") task.passed += 1;
    else if (outcome.failure && shows(outcome.failure, task.firstFailure)) {
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

/** A task shows its first failure, unless that one needs another task and a later one does not. */
function shows(candidate: Failure, shown: Failure | undefined): boolean {
  return !shown || (shown.needsTask !== undefined && candidate.needsTask === undefined);
}

export function nextTask(summary: LessonSummary): TaskSummary | undefined {
  return summary.tasks.find((task) => task.passed < task.total);
}

export function isDone(summary: LessonSummary): boolean {
  return summary.brokenFiles.length === 0 && summary.tasks.every((t) => t.passed === t.total);
}

/** The first stack frame in a file the learner edits (or its solution): where the work is. */
export function locationFromStack(stack: string | undefined, root: string): string | undefined {
  return framesOf(stack, root).find((frame) => isExerciseFile(frame, root));
}

/**
 * The check that failed: the outermost frame in the test's own file (the test's body, not a
 * helper it called), else the first frame in any test file.
 */
export function testLocationFromStack(
  stack: string | undefined,
  root: string,
  testFile?: string,
): string | undefined {
  const frames = framesOf(stack, root).filter((frame) => /\.test\.ts:/.test(frame));
  const own = testFile && path.relative(root, testFile).split(path.sep).join("/");
  return frames.filter((frame) => frame.startsWith(`${own}:`)).at(-1) ?? frames[0];
}

/** Where a todo() was called: the first frame of its stack outside shared/todo.ts. */
export function todoPlace(stack: string | undefined, root: string): string | undefined {
  return framesOf(stack, root, { everywhere: true }).find(
    (frame) => !/^shared\/todo\.ts:/.test(frame),
  );
}

/** "task 7: Consumer.stop" → 7 */
export function taskOfTodo(task: string): number | null {
  const match = /^task\s+(\d+)/i.exec(task.replace(/^not implemented yet — /, ""));
  return match ? Number(match[1]) : null;
}

/** lessons/NN/x.ts with a twin in solutions/NN/, or a file of solutions/ itself. */
function isExerciseFile(frame: string, root: string): boolean {
  const file = frame.replace(/:\d+$/, "");
  if (/\.test\.ts$/.test(file)) return false;
  if (file.startsWith("solutions/")) return true;
  return file.startsWith("lessons/") && existsSync(path.join(root, "solutions", file.slice(8)));
}

/** "lessons/03-raw-tcp/framing.ts:12" for every frame of the stack in lessons/ or solutions/. */
function framesOf(stack: string | undefined, root: string, { everywhere = false } = {}): string[] {
  if (!stack) return [];
  const frames: string[] = [];
  for (const line of stack.split("\n")) {
    const match = /((?:[A-Za-z]:)?[^\s()]+\.ts):(\d+)(?::\d+)?/.exec(line.replace(/file:\/\//, ""));
    if (!match) continue;
    const relative = path.relative(root, match[1]!).split(path.sep).join("/");
    if (everywhere ? !relative.startsWith("..") : /^(lessons|solutions)\//.test(relative))
      frames.push(`${relative}:${match[2]}`);
  }
  return frames;
}

/** What a failed test tells the learner: its error, and the todo it reached, if any. */
export function failureOf(
  error: { name?: string; message?: string; stack?: string } | undefined,
  {
    task,
    testFile,
    reached = [],
    root,
  }: {
    task: number | null;
    testFile: string;
    reached?: ReachedTodo[];
    root: string;
  },
): Failure {
  const direct = error?.name === "NotImplementedError" ? error.message : undefined;
  const testLocation = testLocationFromStack(error?.stack, root, testFile);
  const sameTodo = (r: ReachedTodo) => direct === `not implemented yet — ${r.task}`;
  // The todo to name: the error's own; else one of the test's task; else the first reached.
  const named: ReachedTodo | undefined = direct
    ? (reached.find(sameTodo) ?? { task: direct.replace(/^not implemented yet — /, "") })
    : (reached.find((r) => taskOfTodo(r.task) === task) ?? reached[0]);
  const location =
    (named?.at && isExerciseFile(named.at, root) ? named.at : undefined) ??
    locationFromStack(error?.stack, root);
  const todoTask = named && taskOfTodo(named.task);
  return {
    message: named ? `not implemented yet — ${named.task}` : (error?.message ?? "failed"),
    ...(location ? { location } : {}),
    ...(testLocation ? { testLocation } : {}),
    ...(named ? { notImplemented: named.task } : {}),
    ...(todoTask != null && task !== null && todoTask !== task ? { needsTask: todoTask } : {}),
  };
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
