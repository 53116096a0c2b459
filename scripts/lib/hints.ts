import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { readTaskHeadings, type Lesson } from "./lessons.js";
import { language } from "./messages.js";

export interface Hint {
  title: string;
  body: string;
}

/**
 * hints.md has one "## Task N" section per task; each "### title" inside it is one hint,
 * from a gentle nudge to almost the answer.
 */
export function readHints(file: string): Map<number, Hint[]> {
  const hints = new Map<number, Hint[]>();
  if (!existsSync(file)) return hints;
  let task: Hint[] | undefined;
  let hint: Hint | undefined;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const taskHeading = /^##\s+Task\s+(\d+)/i.exec(line);
    const hintHeading = /^###\s+(.*)$/.exec(line);
    if (taskHeading) {
      task = [];
      hint = undefined;
      hints.set(Number(taskHeading[1]), task);
    } else if (hintHeading && task) {
      hint = { title: hintHeading[1]!.trim(), body: "" };
      task.push(hint);
    } else if (hint) {
      hint.body += line + "\n";
    }
  }
  for (const list of hints.values()) for (const h of list) h.body = h.body.trim();
  return hints;
}

/**
 * A task's title as the task table shows it: the README's heading, from README.zh-CN.md when
 * the CLI speaks Chinese, so that the hint's header and the table name a task the same way.
 * The test's describe title when the README has no such heading.
 */
export function taskTitle(lesson: Lesson, task: number, fallback: string): string {
  const readme = language() === "zh" ? "README.zh-CN.md" : "README.md";
  for (const file of [readme, "README.md"]) {
    const heading = readTaskHeadings(path.join(lesson.dir, file)).find((h) => h.task === task);
    if (heading) return heading.title;
  }
  return fallback;
}
