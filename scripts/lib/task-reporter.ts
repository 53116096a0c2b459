import { writeFileSync } from "node:fs";
import type { Reporter, TestCase, TestModule, Vitest } from "vitest/node";
import { LessonScreen } from "./lesson-screen.js";
import { ROOT } from "./paths.js";
import {
  failureOf,
  parseTaskTitle,
  summarize,
  withStuckTests,
  type RunResults,
} from "./results.js";
import { messages } from "./messages.js";
import { printLessonSummary } from "./summary-output.js";
import { currentTree } from "./trees.js";
import { Watchdog } from "./watchdog.js";

/**
 * A vitest reporter that groups the lesson tests by task.
 * - COURSE_PROGRESS_DIR set: it runs the watchdog that stops a worker stuck in an endless loop.
 * - COURSE_SCREEN names a lesson (`npm run lesson N`): it draws that lesson's screen, with the
 *   type check beside the tests.
 * - COURSE_RESULTS names a file: it writes the outcome there for the course CLI to read.
 * - none of these (npx vitest, the editor's test panel): it prints the lessons' summaries.
 */
export default class TaskReporter implements Reporter {
  // A blocked event loop is caught in seconds in the learner's loop (COURSE_SCREEN); elsewhere
  // only a test far past its timeout is stopped.
  readonly #watchdog = process.env.COURSE_PROGRESS_DIR
    ? new Watchdog(process.env.COURSE_PROGRESS_DIR, Boolean(process.env.COURSE_SCREEN))
    : undefined;
  readonly #screen = process.env.COURSE_SCREEN ? new LessonScreen() : undefined;

  onInit(_vitest: Vitest): void {
    this.#screen?.beginRun();
  }

  onWatcherRerun(files: string[], trigger?: string): void {
    this.#screen?.beginRun(trigger ?? files[0] ?? "");
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>): Promise<void> {
    let results: RunResults = { tests: [], brokenFiles: [] };
    // In file order, not in the order they ran: the first failure of a task is the same each run.
    const byFile = [...testModules].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
    for (const testModule of byFile) {
      for (const error of testModule.errors()) {
        results.brokenFiles.push({ file: testModule.moduleId, message: error.message });
      }
      for (const test of testModule.children.allTests()) {
        results.tests.push(outcomeOf(testModule.moduleId, test));
      }
    }
    if (this.#watchdog) {
      const say = messages();
      results = withStuckTests(
        results,
        this.#watchdog.takeStuck(),
        say.stuckTest,
        say.notRunAfterStuck,
      );
    }
    if (process.env.COURSE_RESULTS) {
      writeFileSync(process.env.COURSE_RESULTS, JSON.stringify(results));
    }
    if (this.#screen) await this.#screen.draw(results);
    else if (!process.env.COURSE_RESULTS) {
      for (const summary of summarize(results))
        printLessonSummary(summary, { tree: currentTree() });
    }
  }

  onProcessTimeout(): void {
    this.#watchdog?.stop();
  }
}

function outcomeOf(file: string, test: TestCase): RunResults["tests"][number] {
  let describeName = "";
  for (let parent = test.parent; parent.type === "suite"; parent = parent.parent) {
    describeName = parent.name;
  }
  const { task, title } = parseTaskTitle(describeName);
  const result = test.result();
  const failure =
    result.state === "failed"
      ? failureOf(result.errors?.[0], {
          task,
          testFile: file,
          reached: test.meta().todos,
          root: ROOT,
        })
      : undefined;
  const slow = test.tags.includes("slow") ? { slow: true } : {};
  return { file, task, taskTitle: title, name: test.name, state: result.state, failure, ...slow };
}
