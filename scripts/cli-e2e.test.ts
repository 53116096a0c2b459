import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./lib/paths.js";

/**
 * The CLI as a learner uses it, in a throwaway copy of the course (lesson 1 only), so that
 * solve and reset never touch the real lessons/ folder.
 */
let copy: string;

function course(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", path.join(copy, "scripts", "course.ts"), ...args],
    { cwd: copy, encoding: "utf8", env: { ...process.env, COURSE_TREE: "", FORCE_COLOR: "0" } },
  );
  return { code: result.status, out: result.stdout + result.stderr };
}

function git(...args: string[]) {
  spawnSync("git", args, { cwd: copy, encoding: "utf8" });
}

beforeAll(() => {
  copy = mkdtempSync(path.join(os.tmpdir(), "course-cli-"));
  for (const entry of [
    "lessons/01-local-call",
    "solutions/01-local-call",
    "shared",
    "scripts",
    "package.json",
    "tsconfig.json",
    "vitest.config.ts",
  ]) {
    cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
  }
  symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
  git("init", "-q");
  git("add", "-A");
  git(
    "-c",
    "user.name=course",
    "-c",
    "user.email=course@example.invalid",
    "commit",
    "-qm",
    "starter",
  );
});

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

// Each step starts a vitest run of its own; on a busy 2-core machine that takes seconds.
describe("the course CLI, end to end", { timeout: 120_000 }, () => {
  it("names the next task when lesson 1 is not done", () => {
    const { code, out } = course("lesson", "1");
    expect(code).not.toBe(0);
    expect(out).toContain(
      "next: task 1 — see lessons/01-local-call/README.md#task-1-add-and-subtract",
    );
    expect(out).toMatch(/where: +lessons\/01-local-call\/calculator\.ts:\d+/);
  });

  it("refuses an unknown lesson with one clear line", () => {
    for (const arg of ["99", "foo"]) {
      const { code, out } = course("lesson", arg);
      expect(code).toBe(2);
      expect(out.trim().split("\n")).toHaveLength(1);
      expect(out).toContain(`there is no lesson "${arg}"`);
    }
  });

  it("shows one more hint each time", () => {
    const first = course("hint", "1");
    const second = course("hint", "1");
    expect(first.out).toContain("hint 1 of 2");
    expect(second.out).toContain("hint 2 of 2");
  });

  it("solve makes the lesson pass, reset brings the starter back, and progress follows", () => {
    expect(course("progress").out).toMatch(/01-local-call +not started +0\/5 tasks/);

    expect(course("solve", "1").code).toBe(0);
    expect(course("lesson", "1").code).toBe(0);
    expect(course("progress").out).toMatch(/01-local-call +done +5\/5 tasks/);
    expect(course("diff", "1").out).toContain("your files match the solution");

    const reset = course("reset", "1");
    expect(reset.code).toBe(0);
    const backup = /your previous files are in (\S+)/.exec(reset.out)![1]!;
    expect(readFileSync(path.join(copy, backup, "calculator.ts"), "utf8")).toContain(
      "return a + b",
    );
    expect(course("lesson", "1").code).not.toBe(0);
  });
});
