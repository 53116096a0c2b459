import { listLessons } from "../lib/lessons.js";
import { shown } from "../lib/paths.js";
import { summarize } from "../lib/results.js";
import { runVitest } from "../lib/vitest-run.js";

/** npm run progress: one line per lesson, from a fresh run of every lesson's tests. */
export async function progress(): Promise<number> {
  const lessons = listLessons();
  console.log(`checking ${lessons.length} lessons against your files in lessons/ ...\n`);
  const { results } = await runVitest({
    targets: lessons.map((lesson) => shown(lesson.dir) + "/"),
    tree: "lessons",
    quiet: true,
  });
  const summaries = summarize(results);
  for (const lesson of lessons) {
    const summary = summaries.find((s) => s.lesson === lesson.name);
    const tasks = summary?.tasks ?? [];
    const done = tasks.filter((task) => task.passed === task.total).length;
    let state: string;
    if (!summary || summary.brokenFiles.length > 0) {
      state = `does not load: ${summary?.brokenFiles[0]?.message.split("\n")[0] ?? "no tests ran"}`;
    } else if (done === tasks.length) state = "done";
    else if (tasks.some((task) => task.passed > 0)) state = "in progress";
    else state = "not started";
    console.log(`${lesson.name.padEnd(34)} ${state.padEnd(12)} ${done}/${tasks.length} tasks`);
  }
  return 0;
}
