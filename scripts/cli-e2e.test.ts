import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCourseCopy, type CourseCopy } from "./testing/course-copy.js";

/**
 * The CLI as a learner uses it, in throwaway copies of the course (lesson 1 only, or lesson 3
 * for a demo server), so that solve, reset and edits never touch the real lessons/ folder.
 */
let copy: CourseCopy;
const course = (...args: string[]) => copy.course(args);
const lessonFile = (file: string) => path.join(copy.dir, "lessons", "01-local-call", file);

beforeAll(() => {
  copy = makeCourseCopy(["01-local-call"]);
});

afterAll(() => copy?.remove());

/** Every process whose command line names this copy: none may outlive a command. */
function processesOf(dir: string): string[] {
  const out = execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  return out.split("\n").filter((line) => line.includes(dir) && !line.includes("ps -eo"));
}

// Each step starts a vitest run of its own; on a busy 2-core machine that takes seconds.
describe("the course CLI, end to end", { timeout: 120_000 }, () => {
  it("fits the starter's state on one screen and ends with what to do next", () => {
    const { code, out } = course("lesson", "1");
    expect(code).not.toBe(0);
    const lines = out.trimEnd().split("\n");
    expect(lines.length).toBeLessThanOrEqual(40);
    expect(out).toContain(
      "next: task 1 — see lessons/01-local-call/README.md#task-1-add-and-subtract",
    );
    expect(out).toMatch(/where: +lessons\/01-local-call\/calculator\.ts:\d+/);
    expect(lines.at(-1)).toContain("npm run hint 1");
    expect(out, "the one screen has no vitest output").not.toContain("Test Files");
  });

  it("shows vitest's full output with --verbose", () => {
    const { out } = course("lesson", "1", "--verbose");
    expect(out).toContain("Test Files");
    expect(out).toContain("next: task 1");
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
    expect(first.out).toMatch(/hint 1 of \d+/);
    expect(second.out).toMatch(/hint 2 of \d+/);
  });

  it("tests the solution when npm kept --solution for itself (the forgotten --)", () => {
    const { code, out } = copy.course(["lesson", "1"], { npm_config_solution: "true" });
    expect(code).toBe(0);
    expect(out).toContain("the reference solution");
    expect(out).toContain("npm run lesson 1 -- --solution");
  });

  it("speaks Chinese when asked, task titles included", () => {
    const { out } = copy.course(["lesson", "1"], { COURSE_LANG: "zh" });
    expect(out).toContain("任务 1：加法与减法");
    expect(out).toContain("下一步：任务 1");
  });

  it("names the task in the hint's header as the table does, in Chinese too", () => {
    const { out } = copy.course(["hint", "1"], { COURSE_LANG: "zh" });
    expect(out).toContain("任务 1：加法与减法 ——");
    expect(out, "the English title of the test's describe").not.toMatch(/add and subtract/i);
  });

  it("stops a learner's endless loop and names the task and the test", () => {
    const original = readFileSync(lessonFile("calculator.ts"), "utf8");
    writeFileSync(
      lessonFile("calculator.ts"),
      original.replace('return todo("task 1: add");', "while (true) {}"),
    );
    try {
      const { code, out } = course("lesson", "1");
      expect(code).not.toBe(0);
      expect(out).toContain("next: task 1");
      expect(out).toMatch(/"adds two numbers": did not return within \d+ s/);
      expect(processesOf(copy.dir)).toEqual([]);
    } finally {
      writeFileSync(lessonFile("calculator.ts"), original);
    }
  });

  it("shows a type error once, above the table, before any test output", () => {
    const original = readFileSync(lessonFile("calculator.ts"), "utf8");
    writeFileSync(
      lessonFile("calculator.ts"),
      original.replace('return todo("task 1: add");', 'return a + "x";'),
    );
    try {
      const { out } = course("lesson", "1");
      const error = out.indexOf("calculator.ts:");
      expect(out).toContain("do not compile (1 error)");
      expect(error).toBeGreaterThan(-1);
      expect(error).toBeLessThan(out.indexOf("task 1: Add and subtract"));
    } finally {
      writeFileSync(lessonFile("calculator.ts"), original);
    }
  });

  it("solve makes the lesson pass, reset brings the starter back, and progress follows", () => {
    expect(course("progress").out).toMatch(/01-local-call +not started +0\/5 tasks/);

    expect(course("solve", "1").code).toBe(0);
    expect(course("lesson", "1").code).toBe(0);
    const progress = course("progress").out;
    expect(progress).toMatch(/01-local-call +done +5\/5 tasks/);
    expect(progress, "remembered, not run again").not.toContain("checking");
    expect(course("diff", "1").out).toContain("your files match the solution");

    const reset = course("reset", "1");
    expect(reset.code).toBe(0);
    const backup = /your previous files are in (\S+)/.exec(reset.out)![1]!;
    expect(readFileSync(path.join(copy.dir, backup, "calculator.ts"), "utf8")).toContain(
      "return a + b",
    );
    expect(course("lesson", "1").code).not.toBe(0);
  });

  it("npm test stays green after the learner solved a lesson", () => {
    expect(course("solve", "1").code).toBe(0);
    const { code, out } = course("test", "1");
    expect(out).toMatch(/course: \d+ passed, 0 failed/);
    expect(code).toBe(0);
    course("reset", "1");
  });

  it("reset restores the shipped starter even after the learner committed the solution", () => {
    course("solve", "1");
    copy.git("commit", "-qam", "my work");
    expect(course("reset", "1").code).toBe(0);
    expect(course("lesson", "1").code).not.toBe(0);
    expect(readFileSync(lessonFile("calculator.ts"), "utf8")).toContain('todo("task 1: add")');
  });

  it("names the todo behind a rejected promise: task 5's where:, its whole name", () => {
    expect(course("solve", "1").code).toBe(0);
    const solved = readFileSync(lessonFile("as-if-remote.ts"), "utf8");
    const open = solved
      .replace(
        /(\): Promise<unknown> \{\n)[\s\S]*?\n\}/,
        '$1  return todo("task 5: callAsIfRemote");\n}',
      )
      .replace(/^/, 'import { todo } from "../../shared/todo.js";\n');
    writeFileSync(lessonFile("as-if-remote.ts"), open);
    const line = open.split("\n").findIndex((l) => l.includes('todo("task 5')) + 1;
    try {
      const { out } = course("lesson", "1");
      expect(out).toContain("next: task 5");
      expect(out).toContain(
        '"returns the result — as a promise, even for a synchronous function": not implemented yet — task 5: callAsIfRemote',
      );
      expect(out).toContain(`where:   lessons/01-local-call/as-if-remote.ts:${line}`);
      expect(out).toMatch(/test: +lessons\/01-local-call\/as-if-remote\.test\.ts:\d+/);
    } finally {
      course("reset", "1");
    }
  });

  it("starts from the shipped starter, whatever the learner did in lessons/", () => {
    expect(course("solve", "1").code).toBe(0);
    const copyOfCopy = makeCourseCopy(["01-local-call"], { withGit: false, from: copy.dir });
    try {
      const file = path.join(copyOfCopy.dir, "lessons", "01-local-call", "calculator.ts");
      expect(readFileSync(file, "utf8")).toContain('todo("task 1: add")');
    } finally {
      copyOfCopy.remove();
      course("reset", "1");
    }
  });

  it("diff honours --task when npm kept it for itself (the forgotten --), and says so", () => {
    // `npm run diff 1 --task 4` runs `course.ts diff 1 4` with npm_config_task=true.
    const { code, out } = copy.course(["diff", "1", "4"], { npm_config_task: "true" });
    expect(code).toBe(0);
    expect(out).toContain("--- lessons/01-local-call/as-if-remote.ts");
    expect(out).not.toContain("calculator.ts");
    expect(out).toContain("npm run diff 1 -- --task 4");
  });

  it("diff shows one task's files on one page, without a pager", () => {
    course("solve", "1");
    course("reset", "1");
    const { out } = course("diff", "1", "--task", "4");
    expect(out).toContain("--- lessons/01-local-call/as-if-remote.ts");
    expect(out).not.toContain("calculator.ts");
  });
});

describe("without git", { timeout: 120_000 }, () => {
  it("reset works in a copy of the course that has no .git", () => {
    const zip = makeCourseCopy(["01-local-call"], { withGit: false });
    try {
      expect(zip.course(["solve", "1"]).code).toBe(0);
      expect(zip.course(["lesson", "1"]).code).toBe(0);
      const reset = zip.course(["reset", "1"]);
      expect(reset.out).toContain("starter restored");
      expect(zip.course(["lesson", "1"]).code).not.toBe(0);
    } finally {
      zip.remove();
    }
  });
});

describe("demos end with the command that started them", { timeout: 60_000 }, () => {
  it("SIGTERM to `npm run demo 3 server` (or to the shell npm started) frees the port", async () => {
    const demo = makeCourseCopy(["01-local-call", "02-call-id-and-serialization", "03-raw-tcp"], {
      withGit: false,
    });
    try {
      for (const via of ["course", "shell"] as const) {
        const child = demo.start(["demo", "3", "server", "--port", "0"], {
          viaShell: via === "shell",
        });
        const port = await new Promise<number>((resolve, reject) => {
          let out = "";
          child.stdout!.on("data", (chunk: Buffer) => {
            out += chunk.toString();
            const match = /tcp:\/\/127\.0\.0\.1:(\d+)/.exec(out);
            if (match) resolve(Number(match[1]));
          });
          child.once("exit", () => reject(new Error(`the demo exited:\n${out}`)));
        });
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
        // Under a shell, the course process notices the shell is gone within a second or so.
        for (let i = 0; i < 50 && processesOf(demo.dir).length > 0; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const refused = await new Promise<boolean>((resolve) => {
          const socket = net.connect(port, "127.0.0.1");
          socket.once("connect", () => (socket.destroy(), resolve(false)));
          socket.once("error", () => resolve(true));
        });
        expect(refused, `port ${port} still open after SIGTERM (${via})`).toBe(true);
        expect(processesOf(demo.dir)).toEqual([]);
      }
    } finally {
      rmSync(demo.dir, { recursive: true, force: true });
    }
  });
});
