import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readHints } from "./lib/hints.js";
import { exerciseFiles, listLessons } from "./lib/lessons.js";

/**
 * Starters leave the thinking to the learner: a contract and a todo, not the steps. The steps
 * are hints, asked for one level at a time: a nudge first (no code), at least one more level.
 */
const lessons = listLessons();

function commentLines(file: string): number {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => /^\s*(\/\/|\/\*\*?|\*)/.test(line)).length;
}

describe("starters and hints", () => {
  it.each(lessons.map((l) => [l.name, l] as const))(
    "%s: no `void [...]` line in a starter",
    (_n, lesson) => {
      for (const file of readdirSync(lesson.dir).filter(
        (f) => f.endsWith(".ts") && !f.endsWith(".test.ts"),
      )) {
        const text = readFileSync(path.join(lesson.dir, file), "utf8");
        expect(
          text,
          `${lesson.name}/${file} silences the compiler instead of leaving a contract`,
        ).not.toMatch(/^\s*void \[/m);
      }
    },
  );

  it.each(lessons.map((l) => [l.name, l] as const))(
    "%s: every task has two hint levels at least, and its first hint shows no code",
    (_n, lesson) => {
      for (const file of ["hints.md", "hints.zh-CN.md"]) {
        for (const [task, hints] of readHints(path.join(lesson.dir, file))) {
          expect(
            hints.length,
            `${file} task ${task}: a nudge first, then more`,
          ).toBeGreaterThanOrEqual(2);
          expect(
            hints[0]!.body,
            `${file} task ${task}: the first hint is a nudge, not code`,
          ).not.toContain("```");
        }
      }
    },
  );

  it("starters carry at most ~150 more comment lines than their solutions, course-wide (the contracts)", () => {
    let extra = 0;
    for (const lesson of lessons) {
      for (const file of exerciseFiles(lesson)) {
        extra +=
          commentLines(path.join(lesson.dir, file)) -
          commentLines(path.join(lesson.solutionDir, file));
      }
    }
    expect(
      extra,
      "comments in a starter state the contract; the steps belong in hints",
    ).toBeLessThanOrEqual(150);
  });
});
