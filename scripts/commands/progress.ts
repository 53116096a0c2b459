import { spawnSync } from "node:child_process";
import { listLessons } from "../lib/lessons.js";
import { messages } from "../lib/messages.js";
import { ROOT, shown } from "../lib/paths.js";
import { summarize } from "../lib/results.js";
import { runVitest } from "../lib/vitest-run.js";

/** npm run progress: one line per lesson, from a fresh run of every lesson's tests. */
export async function progress(): Promise<number> {
  const say = messages();
  const lessons = listLessons();
  console.log(say.progressChecking(lessons.length));
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
      const reason = summary?.brokenFiles[0]?.message.split("\n")[0] ?? "no tests ran";
      state = say.stateBroken(reason);
    } else if (done === tasks.length) state = say.stateDone;
    else if (done > 0 || editedSinceCommit(lesson.dir)) state = say.stateInProgress;
    else state = say.stateNotStarted;
    console.log(`${lesson.name.padEnd(34)} ${state.padEnd(12)} ${say.tasks(done, tasks.length)}`);
  }
  return 0;
}

/** A lesson counts as started once a task passes or its files differ from the course's. */
function editedSinceCommit(dir: string): boolean {
  const git = spawnSync("git", ["diff", "--quiet", "HEAD", "--", shown(dir)], { cwd: ROOT });
  return git.status === 1;
}
