import { messages } from "../lib/messages.js";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { exerciseFiles, findLesson } from "../lib/lessons.js";
import { ROOT, shown } from "../lib/paths.js";

/** npm run diff <N>: your files against the solution's, one file at a time. */
export async function diff(args: string[]): Promise<number> {
  const lesson = findLesson(args[0]);
  let differing = 0;
  for (const file of exerciseFiles(lesson)) {
    const mine = shown(path.join(lesson.dir, file));
    const theirs = shown(path.join(lesson.solutionDir, file));
    const result = spawnSync(
      "git",
      ["diff", "--no-index", process.stdout.isTTY ? "--color" : "--no-color", "--", mine, theirs],
      { cwd: ROOT, stdio: "inherit" },
    );
    if (result.error) {
      console.error(messages().diffNeedsGit);
      return 2;
    }
    if (result.status === 1) differing += 1;
  }
  const say = messages();
  console.log(differing === 0 ? say.diffSame(lesson.name) : say.diffDiffer(lesson.name, differing));
  return 0;
}
