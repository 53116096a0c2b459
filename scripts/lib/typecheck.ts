import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Lesson } from "./lessons.js";
import { ROOT, STATE_DIR, shown } from "./paths.js";
import type { CompileError } from "./summary-output.js";

const require = createRequire(import.meta.url);

/** TypeScript's native compiler, run directly: no Node start-up before it checks. */
async function tscExecutable(): Promise<string> {
  const typescript = path.dirname(require.resolve("typescript/package.json"));
  const helper = pathToFileURL(path.join(typescript, "lib", "getExePath.js")).href;
  const { default: getExePath } = (await import(helper)) as { default: () => string };
  return getExePath();
}

/**
 * Type-checks one lesson's files (and what they import) with the course's tsconfig, the way
 * rustlings compiles an exercise before running it: tests run TypeScript without checking
 * types, so `return a + "x"` would otherwise only show up as a strange test failure.
 * TypeScript's native compiler checks a lesson in about half a second.
 */
export async function typecheckLesson(
  lesson: Lesson,
  dir: string = lesson.dir,
): Promise<CompileError[]> {
  const configDir = path.join(STATE_DIR, "typecheck");
  mkdirSync(configDir, { recursive: true });
  const name = `${lesson.name}-${path.basename(path.dirname(dir))}`;
  const config = path.join(configDir, `${name}.json`);
  const relative = (file: string) => path.relative(configDir, file).split(path.sep).join("/");
  writeFileSync(
    config,
    JSON.stringify({
      extends: relative(path.join(ROOT, "tsconfig.json")),
      include: [`${relative(dir)}/**/*.ts`],
      compilerOptions: { incremental: true, tsBuildInfoFile: `./${name}.tsbuildinfo` },
    }),
  );
  const tsc = await tscExecutable();
  return new Promise((resolve) => {
    execFile(
      tsc,
      // One thread: the tests run beside it, and a lesson is too small to gain from more.
      ["--noEmit", "--pretty", "false", "--singleThreaded", "-p", config],
      { cwd: ROOT, maxBuffer: 4 * 1024 * 1024 },
      (_error, stdout) => resolve(parseTscOutput(stdout)),
    );
  });
}

/** "lessons/x.ts(12,5): error TS2322: Type …" → { location: "lessons/x.ts:12:5", message } */
export function parseTscOutput(output: string): CompileError[] {
  const errors: CompileError[] = [];
  for (const line of output.split("\n")) {
    const match = /^(.+?)\((\d+),(\d+)\): error (TS\d+: .*)$/.exec(line.trim());
    if (!match) continue;
    const file = shown(path.resolve(ROOT, match[1]!));
    errors.push({ location: `${file}:${match[2]}:${match[3]}`, message: match[4]! });
  }
  return errors;
}
