import { listLessons, type Lesson } from "../lib/lessons.js";
import { messages } from "../lib/messages.js";
import { shown } from "../lib/paths.js";
import { rememberedResults, rememberResults } from "../lib/results-cache.js";
import { summarize, withStuckTests, type LessonSummary } from "../lib/results.js";
import { isUntouched } from "../lib/starters.js";
import { readmeTasks } from "../lib/summary-output.js";
import { runVitest } from "../lib/vitest-run.js";

/**
 * npm run progress: one line per lesson. Fast, because most lessons need no test run:
 *   - a lesson whose files are exactly the shipped starter is "not started";
 *   - a lesson whose files have not changed since its last run shows those results;
 *   - only the others are run, all together, and remembered for next time.
 */
export async function progress(): Promise<number> {
  const say = messages();
  const lessons = listLessons();
  const known = new Map<Lesson, LessonSummary | "untouched">();
  for (const lesson of lessons) {
    if (isUntouched(lesson)) known.set(lesson, "untouched");
    else {
      const remembered = rememberedResults(lesson);
      if (remembered) known.set(lesson, remembered);
    }
  }
  const toRun = lessons.filter((lesson) => !known.has(lesson));
  if (toRun.length) {
    console.log(say.progressChecking(toRun.length));
    const run = await runVitest({
      targets: toRun.map((lesson) => shown(lesson.dir) + "/"),
      tree: "lessons",
      quiet: true,
    });
    const summaries = summarize(run.results);
    for (const lesson of toRun) {
      const summary = summaries.find((s) => s.lesson === lesson.name);
      rememberResults(lesson, summary);
      known.set(lesson, summary ?? { lesson: lesson.name, tasks: [], brokenFiles: [] });
    }
  }
  for (const lesson of lessons) {
    const summary = known.get(lesson)!;
    const taskCount = readmeTasks(lesson).length;
    let state: string;
    let done = 0;
    if (summary === "untouched") state = say.stateNotStarted;
    else {
      done = summary.tasks.filter((task) => task.passed === task.total).length;
      const broken = summary.brokenFiles[0]?.message.split("\n")[0];
      if (broken || summary.tasks.length === 0) state = say.stateBroken(broken ?? "no tests ran");
      else if (done === taskCount) state = say.stateDone;
      else state = say.stateInProgress;
    }
    console.log(`${lesson.name.padEnd(34)} ${state.padEnd(12)} ${say.tasks(done, taskCount)}`);
  }
  return 0;
}
