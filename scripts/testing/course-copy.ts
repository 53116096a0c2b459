import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { ROOT } from "../lib/paths.js";

/**
 * A throwaway copy of the course (some lessons only), for end-to-end tests of the CLI that
 * solve, reset and edit files without ever touching the real lessons/ folder.
 */
export interface CourseCopy {
  dir: string;
  /** Runs `course.ts <args>` in the copy, as `npm run <args>` would. */
  course(args: string[], env?: NodeJS.ProcessEnv): { code: number | null; out: string };
  /**
   * The same, in the background: for commands that keep running (demo, watch). With
   * `viaShell`, under `sh -c` as npm starts it, so the shell can be killed as npm would.
   */
  start(args: string[], options?: { viaShell?: boolean }): ReturnType<typeof spawn>;
  git(...args: string[]): void;
  remove(): void;
}

/**
 * The lessons come as the course ships them (scripts/starters.json.gz), not as the learner left
 * them in `from`/lessons: a learner's progress never changes what these tests see.
 */
export function makeCourseCopy(
  lessons: string[],
  { withGit = true, from = ROOT }: { withGit?: boolean; from?: string } = {},
): CourseCopy {
  const dir = mkdtempSync(path.join(os.tmpdir(), "course-cli-"));
  const entries = [
    ...lessons.flatMap((lesson) => [`lessons/${lesson}`, `solutions/${lesson}`]),
    "shared",
    "scripts",
    "package.json",
    "tsconfig.json",
    "vitest.config.ts",
    "vitest.lesson.config.ts",
  ];
  for (const entry of entries) {
    cpSync(path.join(from, entry), path.join(dir, entry), { recursive: true });
  }
  const shipped = JSON.parse(
    gunzipSync(readFileSync(path.join(from, "scripts", "starters.json.gz"))).toString("utf8"),
  ) as Record<string, string>;
  for (const [file, text] of Object.entries(shipped)) {
    if (lessons.some((lesson) => file.startsWith(`lessons/${lesson}/`)))
      writeFileSync(path.join(dir, file), text);
  }
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  const environment = (env: NodeJS.ProcessEnv = {}) => ({
    ...process.env,
    COURSE_TREE: "",
    COURSE_LANG: "en",
    FORCE_COLOR: "0",
    AMQP_URL: "",
    ...env,
  });
  const command = (args: string[]) => [
    "--import",
    "tsx",
    path.join(dir, "scripts", "course.ts"),
    ...args,
  ];
  const copy: CourseCopy = {
    dir,
    course(args, env) {
      const result = spawnSync(process.execPath, command(args), {
        cwd: dir,
        encoding: "utf8",
        env: environment(env),
      });
      return { code: result.status, out: result.stdout + result.stderr };
    },
    start(args, { viaShell = false } = {}) {
      if (!viaShell)
        return spawn(process.execPath, command(args), { cwd: dir, env: environment() });
      // "; true" keeps the shell from exec'ing node: it stays in between, as under npm.
      const line = [process.execPath, ...command(args)].map((a) => `'${a}'`).join(" ");
      return spawn("sh", ["-c", `${line}; true`], { cwd: dir, env: environment() });
    },
    git(...args) {
      spawnSync(
        "git",
        ["-c", "user.name=course", "-c", "user.email=course@example.invalid", ...args],
        { cwd: dir, encoding: "utf8" },
      );
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  if (withGit) {
    copy.git("init", "-q");
    copy.git("add", "-A");
    copy.git("commit", "-qm", "starter");
  }
  return copy;
}
