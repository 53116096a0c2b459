import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { transformSync } from "esbuild";
import { describe, expect, it } from "vitest";
import { codeUnits } from "./lib/given-code.js";
import { readHints } from "./lib/hints.js";
import { listLessons, type Lesson } from "./lib/lessons.js";
import { ROOT } from "./lib/paths.js";

/**
 * Hints drift: a solution is refactored, a field renamed, and the hint that says "call
 * `#next()`" now sends the learner after a name that exists nowhere. Every name a hint shows
 * (in backticks, or in a code block) must appear in the code the learner works with: the
 * lesson's solution and given files, the solutions of the lessons before, or shared/.
 */
const lessons = listLessons();

function tsFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    const file = path.join(dir, entry);
    if (statSync(file).isDirectory()) files.push(...tsFiles(file));
    else if (entry.endsWith(".ts") && !entry.endsWith(".test.ts")) files.push(file);
  }
  return files;
}

function wordsOf(dirs: string[]): Set<string> {
  const words = new Set<string>();
  for (const file of dirs.flatMap(tsFiles)) {
    for (const word of readFileSync(file, "utf8").match(/#?[A-Za-z_$][\w$]*/g) ?? []) {
      words.add(word);
    }
  }
  return words;
}

/**
 * Is `name` something the learner can find? A `#private` name must be in this lesson's own
 * code; any other name may also come from shared/ or an earlier lesson's solution.
 */
function knownNames(lesson: Lesson): (name: string) => boolean {
  const own = wordsOf([lesson.dir, lesson.solutionDir]);
  const reachable = wordsOf([
    path.join(ROOT, "shared"),
    ...lessons.filter((l) => l.name < lesson.name).map((l) => l.solutionDir),
  ]);
  return (name) =>
    own.has(name) || (!name.startsWith("#") && (reachable.has(name) || name in globalThis));
}

// What JavaScript, Node and TypeScript give everyone, and words of prose in code spans.
const EVERYONE_KNOWS = new Set(
  (
    "true false null undefined this new return await async const let var if else for of in " +
    "while throw try catch finally void typeof instanceof function class extends import export " +
    "from as break continue default switch case yield delete do static get set"
  ).split(" "),
);

/** The names a piece of code uses: identifiers after `.` or `#`, calls, and bare names. */
function namesIn(code: string): string[] {
  const withoutStrings = code
    .replace(/`[^`]*`/g, " ")
    .replace(/"(?:[^"\\\n]|\\.)*"/g, " ")
    .replace(/'(?:[^'\\\n]|\\.)*'/g, " ")
    .replace(/\/\/.*$/gm, " ");
  return (withoutStrings.match(/#?[A-Za-z_$][\w$]*/g) ?? []).filter(
    (name) => !EVERYONE_KNOWS.has(name),
  );
}

/** Code spans that are code (an identifier, a call, a member), not a quoted value or a shape. */
function codeSpans(markdown: string): string[] {
  const outsideBlocks = markdown.replace(/```[\s\S]*?```/g, " ");
  return [...outsideBlocks.matchAll(/`([^`\n]+)`/g)]
    .map((match) => match[1]!)
    .filter((span) => /^(?:this\.)?#?[A-Za-z_$][\w$.#]*(?:\(\))?$/.test(span));
}

function codeBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```\w*\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

/** Names a code block declares itself: a helper it shows in full, its local variables. */
function declaredIn(code: string): string[] {
  return [...code.matchAll(/\b(?:const|let|var|function|class)\s+([A-Za-z_$][\w$]*)/g)].map(
    (match) => match[1]!,
  );
}

describe("hints name only what exists", () => {
  it.each(lessons.map((l) => [l.name, l] as const))("%s", (_name, lesson) => {
    const known = knownNames(lesson);
    const unknown: string[] = [];
    for (const file of ["hints.md", "hints.zh-CN.md"]) {
      for (const [task, hints] of readHints(path.join(lesson.dir, file))) {
        for (const hint of hints) {
          const blocks = codeBlocks(hint.body);
          const declared = new Set(blocks.flatMap(declaredIn));
          const names = [...codeSpans(hint.body).flatMap(namesIn), ...blocks.flatMap(namesIn)];
          for (const name of new Set(names)) {
            if (!known(name) && !declared.has(name)) {
              unknown.push(`${file} task ${task} "${hint.title}": ${name}`);
            }
          }
        }
      }
    }
    expect(unknown, "names a hint shows that no code of the lesson has").toEqual([]);
  });
});

/**
 * A code block is a fragment (statements, a method, a `case`, an `else` branch), so it is
 * parsed in each place such a fragment can stand; it must parse in one of them.
 */
function parses(code: string): boolean {
  const places = [
    `class Hint { async method() {\n@CODE@\n} }`,
    `class Hint { async *method() {\n@CODE@\n} }`,
    `class Hint {\n@CODE@\n}`,
    `class Hint { async method() { switch (x) {\n@CODE@\n} } }`,
    `class Hint { async method() { if (x) {\n@CODE@\n} }`,
  ];
  // esbuild wants a private name declared; the fragment's class is not there, so rename them.
  const publicNames = code.replace(/#(\w+)/g, "__private_$1");
  return places.some((text) => {
    try {
      transformSync(
        text.replace("@CODE@", () => publicNames),
        { loader: "ts" },
      );
      return true;
    } catch {
      return false;
    }
  });
}

describe("hints' code is TypeScript", () => {
  it.each(lessons.map((l) => [l.name, l] as const))("%s", (_name, lesson) => {
    const broken: string[] = [];
    for (const file of ["hints.md", "hints.zh-CN.md"]) {
      for (const [task, hints] of readHints(path.join(lesson.dir, file))) {
        for (const hint of hints) {
          for (const match of hint.body.matchAll(/```(\w*)\n([\s\S]*?)```/g)) {
            if (!["", "ts", "typescript"].includes(match[1]!)) continue;
            if (!parses(match[2]!)) broken.push(`${file} task ${task} "${hint.title}"`);
          }
        }
      }
    }
    expect(broken, "code blocks that do not parse as TypeScript").toEqual([]);
  });
});

/**
 * The functions (and classes) a learner writes, by task: those holding a `todo("task N: …")`,
 * and those a comment gives to a task ("Task 3: a TypeError naming…"), with their file.
 */
interface LearnersFunction {
  name: string;
  /** The class it is a member of, or its own name. */
  className: string;
  file: string;
  tasks: Set<number>;
}

function learnersFunctions(lesson: Lesson): LearnersFunction[] {
  const found: LearnersFunction[] = [];
  for (const file of readdirSync(lesson.dir)) {
    if (!file.endsWith(".ts") || file.endsWith(".test.ts")) continue;
    for (const unit of codeUnits(readFileSync(path.join(lesson.dir, file), "utf8"))) {
      if (unit.kind === "declaration" && !unit.key.startsWith("class ")) continue;
      const tasks = new Set(
        [...unit.text.matchAll(/todo\("task (\d+)|\bTask (\d+)[:.]/g)].map((m) =>
          Number(m[1] ?? m[2]),
        ),
      );
      // A constructor goes by its class's name: "the constructor of `HttpRpcClient`".
      const [, className, member] = /^\w+ ([\w$]+)(?:\.(.+))?$/.exec(unit.key)!;
      const name = member === "constructor" ? className! : (member?.split(" ").pop() ?? className!);
      if (tasks.size > 0) found.push({ name, className: className!, file, tasks });
    }
  }
  return found;
}

/** A span that is code rather than a name: an assignment, a statement, a call with arguments. */
const CODE =
  /=>|[;{}]|\b(?:new|return|const|let|await|throw)\s|[!=]==|&&|\|\||\w\((?!\.\.\.\))[^)]|(?<![?&\w])[\w.#]+ ?= ?[^=]/;

describe("hints name the function each step is about", () => {
  it.each(lessons.map((l) => [l.name, l] as const))("%s", (_name, lesson) => {
    const functions = learnersFunctions(lesson);
    const wrong: string[] = [];
    for (const file of ["hints.md", "hints.zh-CN.md"]) {
      for (const [task, hints] of readHints(path.join(lesson.dir, file))) {
        const all = hints.map((hint) => `${hint.title}\n${hint.body}`).join("\n");
        // "`requireNumbers` (calculator.ts): return the sum." is a step about requireNumbers.
        for (const hint of hints) {
          for (const [, name, source] of hint.body.matchAll(
            /`(#?[\w$]+)(?:\(\))?` \(([\w.-]+\.ts)\)/g,
          )) {
            // A class counts when one of its members is a todo of the task: "`ProtoWriter`".
            const about = functions.filter(
              (f) => (f.name === name || f.className === name) && f.file === source,
            );
            if (!about.some((f) => f.tasks.has(task))) {
              wrong.push(
                `${file} task ${task} "${hint.title}": ${name} (${source}) is not a todo of task ${task}`,
              );
            }
          }
        }
        for (const { name, file: source, tasks } of functions) {
          if (!tasks.has(task)) continue;
          const mention = new RegExp(
            `(?<![\\w$#])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w$])`,
          );
          if (!mention.test(all))
            wrong.push(`${file} task ${task}: never names ${name} (${source})`);
        }
      }
    }
    expect(wrong, "a step names the function it is about, as the starter's todo does").toEqual([]);
  });

  it.each(lessons.map((l) => [l.name, l] as const))(
    "%s: the first hint of a task is a nudge, with no code inline either",
    (_name, lesson) => {
      const code: string[] = [];
      for (const file of ["hints.md", "hints.zh-CN.md"]) {
        for (const [task, hints] of readHints(path.join(lesson.dir, file))) {
          const first = hints[0];
          if (!first) continue;
          for (const [, span] of first.body.matchAll(/`([^`\n]+)`/g)) {
            if (CODE.test(span!)) code.push(`${file} task ${task} "${first.title}": \`${span}\``);
          }
        }
      }
      expect(code, "code belongs in a later level").toEqual([]);
    },
  );
});
