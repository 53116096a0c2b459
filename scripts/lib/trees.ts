import { existsSync } from "node:fs";
import path from "node:path";
import { LESSONS_DIR, SOLUTIONS_DIR } from "./paths.js";

/**
 * The tests and demos live in lessons/ and import the learner's files there.
 * To run the very same tests against the reference solution, every import that lands on a
 * file in lessons/ is sent to the file of the same name in solutions/, when there is one.
 * Tests, hints and demos exist only in lessons/, so they stay where they are.
 * The third tree, "starters", keeps every path but reads a starter file's text from the
 * shipped snapshot (scripts/lib/starters.ts): the course as it ships, whatever the learner did.
 */
export type Tree = "lessons" | "solutions" | "starters";

export const TREE_ENV = "COURSE_TREE";

export function currentTree(env: NodeJS.ProcessEnv = process.env): Tree {
  const tree = env[TREE_ENV];
  return tree === "solutions" || tree === "starters" ? tree : "lessons";
}

export function redirectToTree(file: string, tree: Tree): string {
  if (tree !== "solutions") return file;
  const relative = path.relative(LESSONS_DIR, file);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return file;
  const twin = path.join(SOLUTIONS_DIR, relative);
  return existsSync(twin) ? twin : file;
}
