import path from "node:path";
import { fileURLToPath } from "node:url";

/** The course's root folder, wherever it was cloned. */
export const ROOT = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const LESSONS_DIR = path.join(ROOT, "lessons");
export const SOLUTIONS_DIR = path.join(ROOT, "solutions");
/** Hint counters and backups; ignored by git. */
export const STATE_DIR = path.join(ROOT, ".course");

/** A path as the learner should see it: relative to the course root, with forward slashes. */
export function shown(file: string): string {
  return path.relative(ROOT, file).split(path.sep).join("/");
}
