import { writeFileSync } from "node:fs";
import type { Reporter, TestCase, TestModule } from "vitest/node";
import { ROOT } from "./paths.js";
import { failureOf, parseTaskTitle, summarize, type RunResults } from "./results.js";
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
  const failure =
    result.state === "failed"
      ? failureOf(result.errors?.[0], {
          task,
          testFile: file,
          reached: test.meta().todos,
          root: ROOT,
        })
      : undefined;
  return { file, task, taskTitle: title, name: test.name, state: result.state, failure };
}
