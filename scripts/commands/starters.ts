import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { findLesson, listLessons, type Lesson } from "../lib/lessons.js";
import { shown } from "../lib/paths.js";
import { summarize } from "../lib/results.js";
import { sampleScreens, starterScreen } from "../lib/starter-check.js";
import {
  SNAPSHOT_FILE,
  snapshotDrift,
  snapshotOfWorkingTree,
  writeSnapshot,
} from "../lib/starters.js";

/**
 * npm run starters -- --update | --check | --screens [N…]   (for whoever writes the course)
 * The shipped starters live in a snapshot beside the CLI (scripts/lib/starters.ts).
 * --update rewrites it from lessons/; --check fails when lessons/ and the snapshot differ,
 * which on a clean clone means a starter was changed without updating the snapshot.
 * --screens runs the shipped starters and rewrites each README's sample screen to match.
 */
export async function starters(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      update: { type: "boolean" },
      check: { type: "boolean" },
      screens: { type: "boolean" },
    },
  });
  if (values.screens) {
    return rewriteSampleScreens(positionals.length ? positionals.map(findLesson) : listLessons());
  }
  if (values.update) {
    const files = snapshotOfWorkingTree();
    writeSnapshot(files);
    console.log(`${shown(SNAPSHOT_FILE)}: ${files.size} starter files`);
    return 0;
  }
  const drift = snapshotDrift();
  if (drift.length === 0) {
    console.log(`${shown(SNAPSHOT_FILE)} matches lessons/`);
    return 0;
  }
  for (const line of drift.slice(0, 20)) console.error(`  ${line}`);
  console.error(
    `${shown(SNAPSHOT_FILE)} does not match lessons/ (${drift.length} file(s)). ` +
      "After changing a starter, run: npm run starters -- --update",
  );
  return 1;
}

/** Each README's sample screen becomes what `npm run lesson N` prints for the shipped starter. */
async function rewriteSampleScreens(lessons: Lesson[]): Promise<number> {
  const { runVitest } = await import("../lib/vitest-run.js");
  const { results } = await runVitest({
    targets: lessons.map((lesson) => shown(lesson.dir) + "/"),
    tree: "starters",
    quiet: true,
    extraArgs: ["--tags-filter=!slow"],
  });
  const summaries = summarize(results);
  for (const lesson of lessons) {
    const starter = summaries.find((s) => s.lesson === lesson.name);
    if (!starter) continue;
    // From the last block up, so that the line numbers of the ones above still hold.
    for (const screen of sampleScreens(lesson).reverse()) {
      const file = path.join(lesson.dir, screen.file);
      const lines = readFileSync(file, "utf8").split("\n");
      const old = screen.text.split("\n").length;
      const real = starterScreen(lesson, starter, screen.lang);
      if (screen.text.trim() === real) continue;
      lines.splice(screen.line - 1, old, ...real.split("\n"));
      writeFileSync(file, lines.join("\n"));
      console.log(`${shown(file)}:${screen.line}: sample screen rewritten`);
    }
  }
  return 0;
}
