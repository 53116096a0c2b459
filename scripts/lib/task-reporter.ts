import { writeFileSync } from "node:fs";
import type { Reporter, TestCase, TestModule } from "vitest/node";
import { ROOT } from "./paths.js";
import {
  locationFromStack,
  parseTaskTitle,
  summarize,
  type Failure,
  type RunResults,
} from "./results.js";
import { printLessonSummary } from "./summary-output.js";

/**
 * A vitest reporter that groups the lesson tests by task.
 * It prints "next: task N" after every run (also in watch mode) and, when COURSE_RESULTS
 * names a file, writes the outcome there for the course CLI to read.
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
    if (process.env.COURSE_QUIET !== "1") {
      for (const summary of summarize(results)) printLessonSummary(summary);
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
    failure = {
      message: (error?.message ?? "failed").split("\n")[0]!,
      location: locationFromStack(error?.stack, ROOT),
      ...(notImplemented ? { notImplemented } : {}),
    };
  }
  return { file, task, taskTitle: title, name: test.name, state: result.state, failure };
}
