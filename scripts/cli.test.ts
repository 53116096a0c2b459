import net from "node:net";
import { describe, expect, it } from "vitest";
import { findExistingBroker } from "../shared/broker/find-broker.js";
import { printLessonSummary } from "./lib/summary-output.js";
import path from "node:path";
import { formatReply, parseArgument, splitFlags } from "./commands/call.js";
import { readHints } from "./lib/hints.js";
import { language, messages } from "./lib/messages.js";
import { findLesson, githubAnchor, readTaskHeadings, UsageError } from "./lib/lessons.js";
import { LESSONS_DIR, ROOT, SOLUTIONS_DIR } from "./lib/paths.js";
import { locationFromStack, parseTaskTitle, summarize, type RunResults } from "./lib/results.js";
import { redirectToTree } from "./lib/trees.js";

describe("lesson names", () => {
  it.each(["1", "01", "01-local-call", "local-call", " 01 "])("finds lesson 1 from %j", (arg) => {
    expect(findLesson(arg).name).toBe("01-local-call");
  });

  it.each(["99", "foo", "0", "-1"])("refuses %j with a usage error naming the range", (arg) => {
    expect(() => findLesson(arg)).toThrow(UsageError);
    expect(() => findLesson(arg)).toThrow(/lessons are 01–/);
  });

  it("asks which lesson when none is given", () => {
    expect(() => findLesson(undefined)).toThrow(/which lesson/);
  });
});

describe("tasks", () => {
  it("reads the task number and title from a describe block", () => {
    expect(parseTaskTitle("task 2: multiply and divide")).toEqual({
      task: 2,
      title: "multiply and divide",
    });
    expect(parseTaskTitle("Task 10 — streams")).toEqual({ task: 10, title: "streams" });
    expect(parseTaskTitle("helpers")).toEqual({ task: null, title: "helpers" });
  });

  it("links a task to its README heading the way GitHub anchors it", () => {
    expect(githubAnchor("Task 2: Multiply and divide")).toBe("task-2-multiply-and-divide");
    expect(githubAnchor("Task 4: Find a method by its name")).toBe(
      "task-4-find-a-method-by-its-name",
    );
    const headings = readTaskHeadings(path.join(LESSONS_DIR, "01-local-call", "README.md"));
    expect(headings.map((h) => h.task)).toEqual([1, 2, 3, 4, 5]);
    expect(headings[0]!.line).toBeGreaterThan(1);
  });

  it("finds the learner's file and line in a todo() stack", () => {
    const stack = [
      "NotImplementedError: not implemented yet — task 1: add",
      `    at todo (${ROOT}/shared/todo.ts:14:9)`,
      `    at add (${ROOT}/lessons/01-local-call/calculator.ts:28:10)`,
      `    at ${ROOT}/lessons/01-local-call/calculator.test.ts:17:12`,
    ].join("\n");
    expect(locationFromStack(stack, ROOT)).toBe("lessons/01-local-call/calculator.ts:28");
  });

  it("names the first task with a failing test as the next one", () => {
    const file = path.join(LESSONS_DIR, "01-local-call", "x.test.ts");
    const results: RunResults = {
      brokenFiles: [],
      tests: [
        { file, task: 1, taskTitle: "a", name: "t1", state: "passed" },
        { file, task: 2, taskTitle: "b", name: "t2", state: "failed", failure: { message: "no" } },
        { file, task: 3, taskTitle: "c", name: "t3", state: "failed", failure: { message: "no" } },
      ],
    };
    const [summary] = summarize(results);
    expect(summary!.tasks.map((t) => `${t.task}:${t.passed}/${t.total}`)).toEqual([
      "1:1/1",
      "2:0/1",
      "3:0/1",
    ]);
    expect(summary!.tasks.find((t) => t.passed < t.total)!.task).toBe(2);
  });

  it("reads hints, one per ### heading, grouped by task", () => {
    const hints = readHints(path.join(LESSONS_DIR, "01-local-call", "hints.md"));
    expect([...hints.keys()]).toEqual([1, 2, 3, 4, 5]);
    expect(hints.get(4)!.length).toBeGreaterThanOrEqual(2);
    expect(hints.get(4)![0]!.body).toContain("Object.hasOwn");
  });
});

describe("switching between your files and the solution", () => {
  const exercise = path.join(LESSONS_DIR, "01-local-call", "calculator.ts");

  it("leaves imports alone for your files", () => {
    expect(redirectToTree(exercise, "lessons")).toBe(exercise);
  });

  it("sends an exercise file to its twin in solutions/", () => {
    expect(redirectToTree(exercise, "solutions")).toBe(
      path.join(SOLUTIONS_DIR, "01-local-call", "calculator.ts"),
    );
  });

  it("keeps tests, demos and files outside lessons/ where they are", () => {
    const test = path.join(LESSONS_DIR, "01-local-call", "calculator.test.ts");
    const shared = path.join(ROOT, "shared", "todo.ts");
    expect(redirectToTree(test, "solutions")).toBe(test);
    expect(redirectToTree(shared, "solutions")).toBe(shared);
  });
});

describe("npm run call arguments", () => {
  it("reads numbers, booleans and JSON, and keeps other words as strings", () => {
    expect(["1", "-2.5", "true", "null", '{"a":[1]}', "Ada", "1e3"].map(parseArgument)).toEqual([
      1,
      -2.5,
      true,
      null,
      { a: [1] },
      "Ada",
      1000,
    ]);
  });

  it("prints a reply as JSON, or as what it is when JSON cannot say it", () => {
    expect(formatReply({ a: [1, "x", null] })).toBe('{"a":[1,"x",null]}');
    expect(formatReply(undefined)).toBe("undefined");
    expect(formatReply(2n ** 60n), "a bigint is not a serialization error").toBe(
      "1152921504606846976n",
    );
    expect(formatReply(new Map([[1, "a"]])), "integer keys stay integers").toBe(
      "Map(1) { 1 => 'a' }",
    );
    expect(formatReply([Number.NaN])).toBe("[ NaN ]");
  });

  it("separates flags from arguments", () => {
    expect(splitFlags(["add", "1", "2", "--topic", "calc", "--stream", "--timeout=50"])).toEqual({
      positionals: ["add", "1", "2"],
      flags: { topic: "calc", stream: true, timeout: "50" },
    });
  });
});

describe("the CLI's language", () => {
  it("speaks Chinese when LANG, LC_ALL or COURSE_LANG starts with zh", () => {
    expect(language({ LANG: "zh_CN.UTF-8" })).toBe("zh");
    expect(language({ LC_ALL: "zh_TW.UTF-8", LANG: "en_US.UTF-8" })).toBe("zh");
    expect(language({ COURSE_LANG: "en", LANG: "zh_CN.UTF-8" })).toBe("en");
    expect(language({ LANG: "en_GB.UTF-8" })).toBe("en");
    expect(language({})).toBe("en");
  });

  it("has every message in both languages", () => {
    expect(Object.keys(messages("zh")).sort()).toEqual(Object.keys(messages("en")).sort());
    expect(messages("zh").next(2, "README.md")).toContain("任务 2");
  });

  it("reads Chinese task headings too", () => {
    expect(githubAnchor("任务 2：乘法与除法")).toBe("任务-2乘法与除法");
  });
});

describe("the one screen", () => {
  const lesson = findLesson("1");
  const print = (summary: Parameters<typeof printLessonSummary>[0]) => {
    const lines: string[] = [];
    const done = printLessonSummary(
      summary,
      { tree: "lessons", log: (l) => lines.push(l) },
      lesson,
    );
    return { done, out: lines.join("\n") };
  };

  it("claims nothing about the lesson when only one of its files ran", () => {
    const { done, out } = print({
      lesson: lesson.name,
      tasks: [{ task: 1, title: "add and subtract", passed: 2, total: 2 }],
      brokenFiles: [],
    });
    expect(done).toBe(false);
    expect(out).toContain("only part of the lesson ran");
    expect(out).not.toContain("all 1 tasks pass");
    expect(out).not.toContain("go on");
  });

  it("lists a task whose tests did not run, and says so", () => {
    const { out } = print({ lesson: lesson.name, tasks: [], brokenFiles: [] });
    expect(out).toMatch(/– task 5: .* not run/);
  });
});

describe("a broker named by AMQP_URL", () => {
  it("that does not answer is one line naming it, password hidden, and what to do", async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const found = await findExistingBroker({
      AMQP_URL: `amqp://guest:secret@127.0.0.1:${closed}/`,
    });
    expect(found && "problem" in found).toBe(true);
    const problem = (found as { problem: string }).problem;
    expect(problem.split("\n")).toHaveLength(1);
    expect(problem).toContain(`127.0.0.1:${closed}`);
    expect(problem).not.toContain("secret");
    expect(problem).toContain("npm run broker");
  });
});
