import { messages } from "../lib/messages.js";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { backUp } from "../lib/backup.js";
import { exerciseFiles, findLesson, UsageError } from "../lib/lessons.js";
import { shippedFilesOf } from "../lib/starters.js";

/**
 * npm run reset <N>: the starter files back, as the course ships them. They come from the
 * course's own snapshot (scripts/starters.json.gz), not from git: whatever you committed, and
 * in a copy downloaded without git, reset gives the starter.
 */
export async function reset(args: string[]): Promise<number> {
  const lesson = findLesson(args[0]);
  const shipped = shippedFilesOf(lesson);
  if (shipped.size === 0) throw new UsageError(messages().resetNoSnapshot(lesson.name));
  const backup = backUp(lesson);
  for (const [file, text] of shipped) {
    const target = path.join(lesson.dir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  console.log(messages().resetDone(lesson.name, shipped.size));
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
