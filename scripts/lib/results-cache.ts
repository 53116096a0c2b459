import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Lesson } from "./lessons.js";
import { ROOT, STATE_DIR } from "./paths.js";
import type { LessonSummary } from "./results.js";
import { hashText } from "./starters.js";

/**
 * Each lesson's last results against the learner's files, remembered with the size and
 * modification time of every file they depend on (a stat, not a read: every run of
 * `npm run lesson N` writes one), so `npm run progress` reruns only the lessons whose files
 * changed.
 */
const DIR = path.join(STATE_DIR, "results");

function filesUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.name !== "node_modules" && !entry.name.startsWith("."))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? filesUnder(full) : [full];
    })
    .sort();
}

let sharedHash: string | undefined;

/** The lesson's files, and everything its tests may import: solutions/ and shared/. */
export function lessonKey(lesson: Lesson): string {
  sharedHash ??= hashText(
    ...["solutions", "shared", "vitest.config.ts", "vitest.lesson.config.ts"].flatMap((part) => {
      const full = path.join(ROOT, part);
      const files = statSync(full, { throwIfNoEntry: false })?.isDirectory()
        ? filesUnder(full)
        : [full];
      return files.map(fileStamp);
    }),
  );
  return hashText(sharedHash, ...filesUnder(lesson.dir).map(fileStamp));
}

function fileStamp(file: string): string {
  const stat = statSync(file, { throwIfNoEntry: false });
  return `${file} ${stat?.size} ${stat?.mtimeMs}\n`;
}

export function rememberResults(lesson: Lesson, summary: LessonSummary | undefined): void {
  if (!summary) return;
  mkdirSync(DIR, { recursive: true });
  const entry = { key: lessonKey(lesson), summary };
  writeFileSync(path.join(DIR, `${lesson.name}.json`), JSON.stringify(entry));
}

/** The remembered results, if the lesson's files have not changed since. */
export function rememberedResults(lesson: Lesson): LessonSummary | undefined {
  try {
    const entry = JSON.parse(readFileSync(path.join(DIR, `${lesson.name}.json`), "utf8")) as {
      key: string;
      summary: LessonSummary;
    };
    return entry.key === lessonKey(lesson) ? entry.summary : undefined;
  } catch {
    return undefined;
  }
}
