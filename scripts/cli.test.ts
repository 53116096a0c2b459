import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import { describe, expect, it } from "vitest";
import { NotImplementedError } from "../shared/todo.js";
import { findExistingBroker } from "../shared/broker/find-broker.js";
import { printLessonSummary } from "./lib/summary-output.js";
import path from "node:path";
import { formatReply, parseArgument, splitFlags } from "./commands/call.js";
import { readHints } from "./lib/hints.js";
import { language, messages } from "./lib/messages.js";
import {
  findLesson,
  githubAnchor,
  listLessons,
  readTaskHeadings,
  UsageError,
  type Lesson,
} from "./lib/lessons.js";
import { LESSONS_DIR, ROOT, SOLUTIONS_DIR } from "./lib/paths.js";
import {
  failureOf,
  locationFromStack,
  parseTaskTitle,
  summarize,
  type LessonSummary,
  type RunResults,
} from "./lib/results.js";
import { lessonProblems, sampleScreenProblems } from "./lib/starter-check.js";
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

/** A stack as vitest reports it: innermost frame first, absolute paths. */
const stackOf = (message: string, ...frames: string[]) =>
  [message, ...frames.map((frame) => `    at ${ROOT}/${frame}`)].join("\n");

describe("the todo behind a failure", () => {
  const lesson = (name: string) => path.join(LESSONS_DIR, name);

  it.each([
    [
      "fast-check",
      "Property failed after 1 tests",
      "02-call-id-and-serialization/serializer.ts:181",
      3,
    ],
    [
      "an HTTP 500",
      "HTTP 200 for any reply; the body was: Internal error",
      "05-json-rpc/dispatcher.ts:154",
      2,
    ],
    ["grpc-js", "13 INTERNAL: Received RST_STREAM with code 2", "11-grpc/server.ts:183", 5],
    ["a limiter", "expected [] to deeply equal [ +0, 1 ]", "05-json-rpc/limiter.ts:40", 4],
  ])("is named when the test saw %s", (_, message, at, task) => {
    const testFile = lesson("x/x.test.ts");
    const failure = failureOf(
      { name: "AssertionError", message, stack: stackOf(message, "lessons/x/x.test.ts:30:5") },
      { task, testFile, reached: [{ task: `task ${task}: f`, at: `lessons/${at}` }], root: ROOT },
    );
    expect(failure).toMatchObject({
      message: `not implemented yet — task ${task}: f`,
      notImplemented: `task ${task}: f`,
      location: `lessons/${at}`,
      testLocation: "lessons/x/x.test.ts:30",
    });
    expect(failure.needsTask).toBeUndefined();
  });

  it("points where: at a file the learner edits, never at a test helper", () => {
    const rethrown = {
      name: "NotImplementedError",
      message: "not implemented yet — task 4: dispatch an event",
      stack: stackOf("NotImplementedError", "lessons/07-zeromq/raw-peers.ts:48:15"),
    };
    const testFile = lesson("07-zeromq/server.test.ts");
    const reached = [{ task: "task 4: dispatch an event", at: "lessons/07-zeromq/server.ts:161" }];
    expect(failureOf(rethrown, { task: 4, testFile, reached, root: ROOT }).location).toBe(
      "lessons/07-zeromq/server.ts:161",
    );
    expect(failureOf(rethrown, { task: 4, testFile, root: ROOT }).location).toBeUndefined();
  });

  it("points test: at the test itself, not at a helper of its file", () => {
    const stack = stackOf(
      "AssertionError: expected 500 to be 200",
      "lessons/05-json-rpc/server.test.ts:72:29",
      "lessons/05-json-rpc/server.test.ts:140:5",
    );
    const failure = failureOf(
      { name: "AssertionError", message: "expected 500 to be 200", stack },
      { task: 2, testFile: lesson("05-json-rpc/server.test.ts"), root: ROOT },
    );
    expect(failure.testLocation).toBe("lessons/05-json-rpc/server.test.ts:140");
  });

  it("says when a test of one task reaches the todo of another, and shows the task's own first", () => {
    const testFile = lesson("09-amqp-rpc/rpc-client.test.ts");
    const needs = failureOf(
      { name: "AssertionError", message: "expected 'x' to be 'y'" },
      {
        task: 6,
        testFile,
        reached: [{ task: "task 7: Consumer.stop", at: "lessons/09-amqp-rpc/consumer.ts:54" }],
        root: ROOT,
      },
    );
    expect(needs).toMatchObject({ needsTask: 7, location: "lessons/09-amqp-rpc/consumer.ts:54" });
    const own = failureOf(undefined, {
      task: 6,
      testFile,
      reached: [{ task: "task 6: RpcClient.call", at: "lessons/09-amqp-rpc/rpc-client.ts:157" }],
      root: ROOT,
    });
    const [summary] = summarize({
      brokenFiles: [],
      tests: [
        { file: testFile, task: 6, taskTitle: "", name: "a", state: "failed", failure: needs },
        { file: testFile, task: 6, taskTitle: "", name: "b", state: "failed", failure: own },
      ],
    });
    expect(summary!.tasks[0]!.firstFailure!.test).toBe("b");

    const lines: string[] = [];
    const lesson9 = findLesson("9");
    printLessonSummary(
      {
        lesson: lesson9.name,
        brokenFiles: [],
        tasks: [{ task: 6, title: "", passed: 0, total: 1, firstFailure: { test: "a", ...needs } }],
      },
      { tree: "lessons", log: (l) => lines.push(l), lang: "en" },
      lesson9,
    );
    expect(lines.join("\n")).toContain(
      "needs:   task 7 as well: this test of task 6 reaches its todo",
    );
  });

  it("prints a todo's whole task name, not { task: '…' }, when the test saw a rejected promise", async () => {
    const seen = (await expect(Promise.reject(new NotImplementedError("task 5: callAsIfRemote")))
      .resolves.toBe(3)
      .catch((e: unknown) => e)) as Error;
    expect(seen.message, "vitest's own words cut the name short").not.toContain("callAsIfRemote");
    expect(seen.message).not.toContain("{ task:");
    const failure = failureOf(seen, {
      task: 5,
      testFile: lesson("01-local-call/as-if-remote.test.ts"),
      reached: [{ task: "task 5: callAsIfRemote", at: "lessons/01-local-call/as-if-remote.ts:39" }],
      root: ROOT,
    });
    expect(failure.message).toBe("not implemented yet — task 5: callAsIfRemote");
    expect(failure.location).toBe("lessons/01-local-call/as-if-remote.ts:39");
  });
});

describe("the screen's last lines", () => {
  const screenOf = (lesson: Lesson, summary: LessonSummary) => {
    const lines: string[] = [];
    printLessonSummary(summary, { tree: "lessons", log: (l) => lines.push(l), lang: "en" }, lesson);
    return lines.join("\n");
  };
  const allPassing = (lesson: Lesson): LessonSummary => ({
    lesson: lesson.name,
    brokenFiles: [],
    tasks: readTaskHeadings(path.join(lesson.dir, "README.md")).map((h) => ({
      task: h.task,
      title: h.title,
      passed: 1,
      total: 1,
    })),
  });

  it("sends the learner on only to a lesson that exists", () => {
    const lessons = listLessons();
    const last = lessons.at(-1)!;
    const out = screenOf(last, allPassing(last));
    expect(out).not.toContain(`npm run lesson ${last.number + 1}`);
    expect(out).toContain("that was the last lesson");
    expect(screenOf(lessons[0]!, allPassing(lessons[0]!))).toContain(
      `then go on:                 npm run lesson ${lessons[1]!.number}`,
    );
  });

  it("says once why several test files could not load", () => {
    const lesson = findLesson("8");
    const message =
      "AMQP_URL=amqp://guest:***@127.0.0.1:1/ does not answer (ECONNREFUSED): start that broker";
    const out = screenOf(lesson, {
      lesson: lesson.name,
      tasks: [],
      brokenFiles: ["exchanges", "work-queue", "worker"].map((name) => ({
        file: path.join(lesson.dir, `${name}.test.ts`),
        message,
      })),
    });
    expect(out.split(message)).toHaveLength(2);
    expect(out).toContain("3 test files (exchanges.test.ts, work-queue.test.ts, worker.test.ts)");
  });
});

describe("the shipped starter, as npm test checks it", () => {
  const lesson = findLesson("1");
  const failure = {
    message: "not implemented yet — task 1: add",
    notImplemented: "task 1: add",
    location: "lessons/01-local-call/calculator.ts:28",
  };
  const starter = (tasks: LessonSummary["tasks"]): LessonSummary => ({
    lesson: lesson.name,
    brokenFiles: [],
    tasks,
  });

  it("shows no task partly done: a given function's test does not count for the task", () => {
    const problems = lessonProblems(
      lesson,
      starter([
        { task: 1, title: "", passed: 1, total: 4, firstFailure: { test: "t", ...failure } },
      ]),
    );
    expect(problems.join("\n")).toContain("already passes 1 of task 1's 4 tests");
  });

  it("names a todo for every task's first failure", () => {
    const problems = lessonProblems(
      lesson,
      starter([
        { task: 1, title: "", passed: 0, total: 2, firstFailure: { test: "t", message: "500" } },
      ]),
    );
    expect(problems.join("\n")).toContain('task 1\'s first failing test ("t") reaches no todo');
  });

  it("finds every README sample screen, in either language, that differs from the real one", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "course-readme-"));
    try {
      const fake: Lesson = { ...lesson, dir };
      const summary = starter([
        { task: 1, title: "", passed: 0, total: 2, firstFailure: { test: "adds", ...failure } },
      ]);
      const heading = "# Lesson\n\n### Task 1: Add and subtract\n\n";
      const screen = (lines: string[]) => ["```", ...lines, "```", ""].join("\n");
      const english = [
        "Lesson 01-local-call — your files",
        "  · task 1: Add and subtract                         0/2",
        `next: task 1 — see ${path.relative(ROOT, dir)}/README.md#task-1-add-and-subtract`,
        '  failing: "adds": not implemented yet — task 1: add',
        "  where:   lessons/01-local-call/calculator.ts:28",
        "  stuck?   npm run hint 1",
      ];
      writeFileSync(path.join(dir, "README.md"), heading + screen(english));
      writeFileSync(
        path.join(dir, "README.zh-CN.md"),
        "### 任务 1：加法与减法\n\n" +
          screen(english) +
          screen(["第 01-local-call 课 —— 你的代码"]),
      );
      const problems = sampleScreenProblems(fake, summary);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^README\.zh-CN\.md:\d+: the sample screen differs/);
      expect(problems[0]).toContain("下一步：任务 1");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a lesson that builds on another", () => {
  it("imports it from solutions/, so that npm run solve never ties it to the learner's work", () => {
    const sources = ["lessons", "solutions"].flatMap((tree) =>
      readdirSync(path.join(ROOT, tree), { recursive: true, encoding: "utf8" })
        .filter((file) => file.endsWith(".ts"))
        .map((file) => path.join(tree, file)),
    );
    const sideways = sources.flatMap((file) =>
      readFileSync(path.join(ROOT, file), "utf8")
        .split("\n")
        .filter((line) => /from "\.\.\/\d\d-/.test(line))
        .map((line) => `${file}: ${line}`),
    );
    expect(sideways, 'write "../../solutions/NN-name/x.js"').toEqual([]);
  });
});
