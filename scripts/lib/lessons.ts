import { language, messages } from "./messages.js";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { LESSONS_DIR, SOLUTIONS_DIR, shown } from "./paths.js";

export interface Lesson {
  /** "03-raw-tcp" */
  name: string;
  /** 3 */
  number: number;
  dir: string;
  solutionDir: string;
}

export class UsageError extends Error {
  override name = "UsageError";
}

export function listLessons(): Lesson[] {
  if (!existsSync(LESSONS_DIR)) return [];
  return readdirSync(LESSONS_DIR)
    .filter((name) => /^\d\d-/.test(name) && statSync(path.join(LESSONS_DIR, name)).isDirectory())
    .sort()
    .map((name) => ({
      name,
      number: Number(name.slice(0, 2)),
      dir: path.join(LESSONS_DIR, name),
      solutionDir: path.join(SOLUTIONS_DIR, name),
    }));
}

/** Accepts "3", "03", "03-raw-tcp" and "raw-tcp". */
export function findLesson(arg: string | undefined): Lesson {
  const lessons = listLessons();
  const range = lessons.length
    ? `${lessons[0]!.name.slice(0, 2)}–${lessons.at(-1)!.name.slice(0, 2)}`
    : messages().noLessonsYet;
  if (!arg) throw new UsageError(messages().whichLesson(range));
  const wanted = arg.trim().toLowerCase();
  const found = /^\d+$/.test(wanted)
    ? lessons.find((lesson) => lesson.number === Number(wanted))
    : lessons.find((lesson) => lesson.name === wanted || lesson.name.slice(3) === wanted);
  if (!found) {
    throw new UsageError(messages().noSuchLesson(arg, range));
  }
  return found;
}

export interface TaskHeading {
  task: number;
  title: string;
  /** The anchor GitHub gives the heading, e.g. "task-2-multiply-and-divide". */
  anchor: string;
  /** 1-based line of the heading in the README. */
  line: number;
}

/** Task headings look like "### Task 2: Multiply and divide" (or "### 任务 2：乘法与除法"). */
export function readTaskHeadings(readmeFile: string): TaskHeading[] {
  if (!existsSync(readmeFile)) return [];
  const headings: TaskHeading[] = [];
  readFileSync(readmeFile, "utf8")
    .split("\n")
    .forEach((text, index) => {
      const match = /^#{2,4}\s+((?:Task\s+|任务\s*)(\d+)(?!\d).*)$/i.exec(text.trim());
      if (match) {
        headings.push({
          task: Number(match[2]),
          title: match[1]!.replace(/^(?:Task\s+|任务\s*)\d+\s*[:.：—-]?\s*/i, ""),
          anchor: githubAnchor(match[1]!),
          line: index + 1,
        });
      }
    });
  return headings;
}

export function githubAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The README section of a task: README.zh-CN.md when the CLI speaks Chinese and one exists. */
export function readmeLink(lesson: Lesson, task: number, lang = language()): string {
  const chinese = path.join(lesson.dir, "README.zh-CN.md");
  const readme =
    lang === "zh" && existsSync(chinese) ? chinese : path.join(lesson.dir, "README.md");
  const heading = readTaskHeadings(readme).find((h) => h.task === task);
  return heading ? `${shown(readme)}#${heading.anchor}` : shown(readme);
}

/** The files a learner edits: those the solution also has. */
export function exerciseFiles(lesson: Lesson): string[] {
  if (!existsSync(lesson.solutionDir)) return [];
  return walk(lesson.solutionDir).map((file) => path.relative(lesson.solutionDir, file));
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}
