import { cpSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Lesson } from "./lessons.js";
import { exerciseFiles } from "./lessons.js";
import { STATE_DIR, shown } from "./paths.js";

/** Copies the learner's exercise files aside before reset or solve overwrites them. */
export function backUp(lesson: Lesson): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const target = path.join(STATE_DIR, "backups", lesson.name, stamp);
  mkdirSync(target, { recursive: true });
  for (const file of exerciseFiles(lesson)) {
    const mine = path.join(lesson.dir, file);
    if (existsSync(mine)) {
      mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
      cpSync(mine, path.join(target, file));
    }
  }
  return shown(target);
}
