import { messages } from "../lib/messages.js";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync } from "node:fs";
import path from "node:path";
import { backUp } from "../lib/backup.js";
import { exerciseFiles, findLesson, UsageError } from "../lib/lessons.js";
import { ROOT, shown } from "../lib/paths.js";

/** npm run reset <N>: the starter files back, as the course ships them (from git). */
export async function reset(args: string[]): Promise<number> {
  const lesson = findLesson(args[0]);
  const files = exerciseFiles(lesson).map((file) => shown(path.join(lesson.dir, file)));
  const git = (gitArgs: string[]) => spawnSync("git", gitArgs, { cwd: ROOT, encoding: "utf8" });
  if (git(["rev-parse", "--verify", "--quiet", "HEAD"]).status !== 0) {
    throw new UsageError(messages().resetNeedsGit);
  }
  const backup = backUp(lesson);
  const restored = git(["checkout", "HEAD", "--", ...files]);
  if (restored.status !== 0) throw new UsageError(messages().resetFailed(restored.stderr));
  console.log(messages().resetDone(lesson.name, files.length));
  console.log(messages().backupAt(backup));
  return 0;
}

/** npm run solve <N>: copy the reference solution in, to catch up in a workshop. */
export async function solve(args: string[]): Promise<number> {
  const lesson = findLesson(args[0]);
  const backup = backUp(lesson);
  const files = exerciseFiles(lesson);
  for (const file of files) {
    mkdirSync(path.dirname(path.join(lesson.dir, file)), { recursive: true });
    cpSync(path.join(lesson.solutionDir, file), path.join(lesson.dir, file));
  }
  console.log(messages().solveDone(lesson.name, files.length));
  console.log(messages().solveBackup(backup, lesson.number));
  return 0;
}
