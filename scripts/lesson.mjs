// `npm run lesson N` starts here. It is plain JavaScript so that the learner's loop pays for no
// TypeScript loader before the tests start: it finds the lesson, starts vitest in a process
// group of its own, and passes Ctrl-C on. The screen is drawn inside vitest, by the task
// reporter (scripts/lib/task-reporter.ts), which also type-checks the lesson beside the tests
// and stops a test stuck in an endless loop.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const ROOT = path.resolve(fileURLToPath(new URL("..", import.meta.url)));
const FLAGS = ["solution", "watch", "verbose", "all", "full"];
/** How long vitest may take to stop its servers after Ctrl-C before everything is killed. */
const STOP_GRACE_MS = 5_000;

/**
 * npm run lesson <N> [-- --solution] [-- --watch] [-- --verbose] [-- --full]
 * @param {string[]} args
 * @returns {Promise<number>} the exit code
 */
export async function lesson(args) {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: Object.fromEntries(FLAGS.map((flag) => [flag, { type: "boolean" }])),
    });
  } catch (error) {
    return usage(/** @type {Error} */ (error).message);
  }
  const name = lessonFolder(parsed.positionals[0]);
  if (!name) return usage(await whyNoLesson(parsed.positionals[0]));
  // `npm run lesson 1 --solution` (without `--`): npm keeps the flag and passes it on only as
  // npm_config_solution=true. It is honoured, and the screen says so.
  const fromNpm = FLAGS.filter((flag) => process.env[`npm_config_${flag}`] === "true");
  const flags = new Set([...FLAGS.filter((flag) => parsed.values[flag]), ...fromNpm]);
  return runVitest(name, flags, fromNpm);
}

/** "3", "03", "03-raw-tcp" or "raw-tcp" → "03-raw-tcp", when that lesson exists. */
function lessonFolder(arg) {
  if (!arg) return undefined;
  const wanted = arg.trim().toLowerCase();
  const names = existsSync(path.join(ROOT, "lessons"))
    ? readdirSync(path.join(ROOT, "lessons")).filter((name) => /^\d\d-/.test(name))
    : [];
  return /^\d+$/.test(wanted)
    ? names.find((name) => Number(name.slice(0, 2)) === Number(wanted))
    : names.find((name) => name === wanted || name.slice(3) === wanted);
}

/** The course's own words for a lesson that is not there (in the learner's language). */
async function whyNoLesson(arg) {
  await import("tsx/esm/api").then(({ register }) => register());
  const { findLesson } = await import(
    pathToFileURL(path.join(ROOT, "scripts/lib/lessons.ts")).href
  );
  try {
    findLesson(arg);
    return `there is no lesson "${arg}"`;
  } catch (error) {
    return /** @type {Error} */ (error).message;
  }
}

function usage(message) {
  console.error(`course: ${message}`);
  return 2;
}

/**
 * @param {string} name the lesson's folder
 * @param {Set<string>} flags
 * @param {string[]} fromNpm flags npm kept for itself
 */
async function runVitest(name, flags, fromNpm) {
  const verbose = flags.has("verbose") || flags.has("all");
  const watch = flags.has("watch");
  const tmp = mkdtempSync(path.join(os.tmpdir(), "course-lesson-"));
  const verdictFile = path.join(tmp, "verdict");
  const vitest = path.join(
    path.dirname(createRequire(import.meta.url).resolve("vitest/package.json")),
    "vitest.mjs",
  );
  const args = [
    vitest,
    watch ? "watch" : "run",
    // A warm worker runs one lesson file after another, sharing what they import: a lesson's
    // files are small, and a fresh process for each costs more than its tests.
    "--no-isolate",
    // A config that knows only this lesson's folder (COURSE_SCREEN): one project, one scan.
    "--config=vitest.lesson.config.ts",
    ...(verbose ? [] : ["--reporter=./scripts/lib/task-reporter.ts"]),
    ...(flags.has("full") ? [] : ["--tags-filter=!slow"]),
    `lessons/${name}/`,
  ];
  // Ctrl-C is caught from here on, before vitest exists: a press during its start still counts.
  let stopping = false;
  /** @type {import("node:child_process").ChildProcess | undefined} */
  let child;
  const killGroup = (signal) => {
    try {
      if (child?.pid) process.kill(-child.pid, signal);
    } catch {
      // the group is gone already
    }
  };
  const stop = (signal) => {
    if (stopping) return killGroup("SIGKILL"); // a second Ctrl-C: now
    stopping = true;
    killGroup(signal);
    setTimeout(() => killGroup("SIGKILL"), STOP_GRACE_MS).unref();
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  child = spawn(process.execPath, args, {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "inherit", verbose ? "inherit" : "pipe"],
    env: {
      ...process.env,
      COURSE_TREE: flags.has("solution") ? "solutions" : "lessons",
      COURSE_SCREEN: name,
      COURSE_VERDICT: verdictFile,
      COURSE_PROGRESS_DIR: mkdtempSync(path.join(tmp, "progress-")),
      COURSE_FLAGS_FROM_NPM: fromNpm.join(","),
      ...(watch ? { COURSE_WATCH: "1" } : {}),
    },
  });
  if (stopping) killGroup("SIGINT");
  let stderr = "";
  child.stderr?.on("data", (chunk) => (stderr = (stderr + chunk).slice(-20_000)));
  const code = await new Promise((resolve) => child.on("close", (status) => resolve(status ?? 1)));
  killGroup("SIGKILL"); // anything a test started and forgot
  const verdict = existsSync(verdictFile) ? readFileSync(verdictFile, "utf8") : undefined;
  rmSync(tmp, { recursive: true, force: true });
  if (watch && stopping) return 0;
  if (verdict) return verdict === "pass" ? 0 : 1;
  // vitest itself failed (not a test): show its own words.
  if (stderr.trim()) console.error(stderr.trim().split("\n").slice(-15).join("\n"));
  return code || 1;
}

// Run as a program (npm run lesson), not imported by the course CLI.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  // `kill <npm's pid>`: npm passes SIGTERM to the shell it started, and a shell does not pass it
  // on; noticing the shell is gone turns it into the SIGTERM that was meant for us.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, "SIGTERM");
  }, 500).unref();
  lesson(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
