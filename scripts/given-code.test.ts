import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { codeUnits, type CodeUnit } from "./lib/given-code.js";
import { exerciseFiles, listLessons } from "./lib/lessons.js";

/**
 * Code a starter gives is the solution's code: a learner whose own part is right must pass,
 * and a given helper that differs from the reference's (a different encoding, a missing
 * keep-alive) would fail them for something they never wrote. A function or class member is
 * the learner's when it holds a todo, or when a comment on it names its task ("Task 3: …").
 */
function isTheLearners(unit: CodeUnit): boolean {
  return unit.code.includes("todo(") || /\bTask \d+[:.]/.test(unit.text);
}

function byKey(units: CodeUnit[]): Map<string, CodeUnit> {
  const map = new Map<string, CodeUnit>();
  for (const unit of units) {
    const same = map.get(unit.key); // overloads: one key, their code joined
    map.set(unit.key, same ? { ...same, code: `${same.code} ${unit.code}` } : unit);
  }
  return map;
}

describe("given code", () => {
  it("reads functions and class members, with the comment above each", () => {
    const units = codeUnits(
      [
        "/** Task 2: a doc comment. */",
        "export function add(a: number, b: number): number {",
        '  const text = `${a} } ${"{"}`; // a brace in a template is no brace',
        "  return /[/}]/.test(text) ? a + b : 0;",
        "}",
        "",
        "export class Box {",
        "  readonly #items: string[] = [];",
        "  static of(): Box {",
        "    return new Box();",
        "  }",
        "  get size(): number {",
        "    return this.#items.length;",
        "  }",
        "}",
        "export type Size = number;",
      ].join("\n"),
    );
    expect(units.map((u) => [u.key, u.kind])).toEqual([
      ["function add", "function"],
      ["class Box", "declaration"],
      ["class Box.#items", "member"],
      ["class Box.static of", "member"],
      ["class Box.get size", "member"],
      ["type Size", "declaration"],
    ]);
    expect(units[0]!.text).toContain("Task 2:");
    expect(units[0]!.code).not.toContain("a brace in a template");
  });

  const lessons = listLessons().filter((lesson) => existsSync(lesson.solutionDir));
  it.each(lessons.map((l) => [l.name, l] as const))(
    "%s: every function and class member a starter gives is the solution's own",
    (_name, lesson) => {
      const differ: string[] = [];
      for (const file of exerciseFiles(lesson)) {
        const starterFile = path.join(lesson.dir, file);
        if (!existsSync(starterFile) || !file.endsWith(".ts")) continue;
        const solution = byKey(
          codeUnits(readFileSync(path.join(lesson.solutionDir, file), "utf8")),
        );
        for (const unit of byKey(codeUnits(readFileSync(starterFile, "utf8"))).values()) {
          if (unit.kind === "declaration" || isTheLearners(unit)) continue;
          const reference = solution.get(unit.key);
          if (reference?.code === unit.code) continue;
          differ.push(
            `lessons/${lesson.name}/${file}:${unit.line} ${unit.key}` +
              (reference ? " differs from the solution's" : " is not in the solution"),
          );
        }
      }
      expect(differ, "copy the solution's code into the starter").toEqual([]);
    },
  );
});
