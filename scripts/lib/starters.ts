import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { exerciseFiles, listLessons, type Lesson } from "./lessons.js";
import { ROOT, shown } from "./paths.js";

/**
 * The starter files exactly as the course ships them, kept apart from lessons/ (where the
 * learner edits them): `npm run reset` restores from here whatever the learner committed, and
 * without git; `npm test` proves that these starters, not the working copy, fail their tests.
 *
 * The snapshot is generated from lessons/ with `npm run starters -- --update` whenever a
 * starter changes; `.ci/run` checks, on a clean clone, that it matches lessons/.
 */
export const SNAPSHOT_FILE = path.join(ROOT, "scripts", "starters.json.gz");

/** "lessons/03-raw-tcp/framing.ts" → the file's text as shipped. */
export type Snapshot = Map<string, string>;

let cached: Snapshot | undefined;

export function readSnapshot(): Snapshot {
  if (cached) return cached;
  if (!existsSync(SNAPSHOT_FILE)) return (cached = new Map());
  const files = JSON.parse(gunzipSync(readFileSync(SNAPSHOT_FILE)).toString("utf8")) as Record<
    string,
    string
  >;
  return (cached = new Map(Object.entries(files)));
}

/** The snapshot lessons/ would give now: every exercise file of every lesson. */
export function snapshotOfWorkingTree(lessons: Lesson[] = listLessons()): Snapshot {
  const files: Snapshot = new Map();
  for (const lesson of lessons) {
    for (const file of exerciseFiles(lesson)) {
      const full = path.join(lesson.dir, file);
      if (existsSync(full)) files.set(shown(full), readFileSync(full, "utf8"));
    }
  }
  return files;
}

export function writeSnapshot(files: Snapshot): void {
  const sorted = Object.fromEntries([...files.entries()].sort(([a], [b]) => a.localeCompare(b)));
  // Node writes a zero mtime into the gzip header: identical starters give identical bytes.
  writeFileSync(SNAPSHOT_FILE, gzipSync(JSON.stringify(sorted, null, 1), { level: 9 }));
  cached = undefined;
}

/** The shipped text of a file of lessons/ given by its absolute path, if it is a starter. */
export function shippedStarter(absoluteFile: string): string | undefined {
  return readSnapshot().get(shown(absoluteFile));
}

/** The lesson's starter files as shipped, by path relative to the lesson folder. */
export function shippedFilesOf(lesson: Lesson): Map<string, string> {
  const prefix = shown(lesson.dir) + "/";
  const files = new Map<string, string>();
  for (const [file, text] of readSnapshot()) {
    if (file.startsWith(prefix)) files.set(file.slice(prefix.length), text);
  }
  return files;
}

/** True when every exercise file of the lesson is exactly as shipped. */
export function isUntouched(lesson: Lesson): boolean {
  const shipped = shippedFilesOf(lesson);
  if (shipped.size === 0) return false;
  for (const [file, text] of shipped) {
    const full = path.join(lesson.dir, file);
    if (!existsSync(full) || readFileSync(full, "utf8") !== text) return false;
  }
  return true;
}

/** Differences between the snapshot and lessons/, as lines a developer can act on. */
export function snapshotDrift(): string[] {
  const shipped = readSnapshot();
  const now = snapshotOfWorkingTree();
  const drift: string[] = [];
  for (const [file, text] of now) {
    if (!shipped.has(file)) drift.push(`${file}: not in the snapshot`);
    else if (shipped.get(file) !== text) drift.push(`${file}: differs from the snapshot`);
  }
  for (const file of shipped.keys()) {
    if (!now.has(file)) drift.push(`${file}: in the snapshot, but not in lessons/`);
  }
  return drift;
}

export function hashText(...parts: string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("hex").slice(0, 16);
}
