import { existsSync } from "node:fs";
import path from "node:path";
import { LESSONS_DIR, SOLUTIONS_DIR } from "./paths.js";

/**
 * The tests and demos live in lessons/ and import the learner's files there.
 * To run the very same tests against the reference solution, every import that lands on a
 * file in lessons/ is sent to the file of the same name in solutions/, when there is one.
 * Tests, hints and demos exist only in lessons/, so they stay where they are.
 */
export type Tree = "lessons" | "solutions";

export const TREE_ENV = "COURSE_TREE";

export function currentTree(env: NodeJS.ProcessEnv = process.env): Tree {
  return env[TREE_ENV] === "solutions" ? "solutions" : "lessons";
}

export function redirectToTree(file: string, tree: Tree): string {
  if (tree === "lessons") return file;
  const relative = path.relative(LESSONS_DIR, file);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return file;
  const twin = path.join(SOLUTIONS_DIR, relative);
  return existsSync(twin) ? twin : file;
}
