import { writeFileSync } from "node:fs";
import type { Reporter, TestCase, TestModule } from "vitest/node";
import { ROOT } from "./paths.js";
import {
  locationFromStack,
  parseTaskTitle,
  testLocationFromStack,
  summarize,
  type Failure,
  type RunResults,
} from "./results.js";
import { messages } from "./messages.js";
import { printLessonSummary } from "./summary-output.js";
import { currentTree } from "./trees.js";

/**
 * A vitest reporter that groups the lesson tests by task.
 * When COURSE_RESULTS names a file, it writes the outcome there for the course CLI to read;
 * otherwise it prints the lesson's summary itself.
 */
export default class TaskReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const results: RunResults = { tests: [], brokenFiles: [] };
    for (const testModule of testModules) {
      for (const error of testModule.errors()) {
        results.brokenFiles.push({ file: testModule.moduleId, message: error.message });
      }
      for (const test of testModule.children.allTests()) {
        results.tests.push(outcomeOf(testModule.moduleId, test));
      }
    }
    if (process.env.COURSE_RESULTS) {
      writeFileSync(process.env.COURSE_RESULTS, JSON.stringify(results));
    }
    // Run by the course CLI (COURSE_RESULTS set), the CLI prints the screen; run by hand
    // (npx vitest, the editor's test panel), this reporter does.
    if (!process.env.COURSE_RESULTS) {
      for (const summary of summarize(results))
        printLessonSummary(summary, { tree: currentTree() });
    }
  }
}

function outcomeOf(file: string, test: TestCase): RunResults["tests"][number] {
  let describeName = "";
  for (let parent = test.parent; parent.type === "suite"; parent = parent.parent) {
    describeName = parent.name;
  }
  const { task, title } = parseTaskTitle(describeName);
  const result = test.result();
  const error = result.errors?.[0];
  let failure: Failure | undefined;
  if (result.state === "failed") {
    const notImplemented = error?.name === "NotImplementedError" ? error.message : undefined;
    const testLocation = testLocationFromStack(error?.stack, ROOT);
    failure = {
      message: plainMessage(error?.message ?? "failed", notImplemented),
      location: locationFromStack(error?.stack, ROOT),
      ...(testLocation ? { testLocation } : {}),
      ...(notImplemented ? { notImplemented } : {}),
    };
  }
  return { file, task, taskTitle: title, name: test.name, state: result.state, failure };
}

/** The first line of a failure, in words a learner can act on. */
function plainMessage(message: string, notImplemented: string | undefined): string {
  const say = messages();
  if (notImplemented)
    return say.notImplemented(notImplemented.replace(/^not implemented yet — /, ""));
  const timeout = /^Test timed out in (\d+)ms/.exec(message);
  if (timeout) return say.timedOut(Math.round(Number(timeout[1]) / 1000));
  return message.split("\n")[0]!;
}
