import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { readHints } from "./lib/hints.js";
import { listLessons, readTaskHeadings } from "./lib/lessons.js";
import { ROOT, shown } from "./lib/paths.js";

// Every English README has a Chinese twin beside it (README.zh-CN.md) that a learner can follow
// instead: the same tasks, numbered the same, in the same order, and the same sections.

interface ReadmePair {
  english: string;
  chinese: string;
}

const pairs: ReadmePair[] = [
  ROOT,
  ...listLessons()
    .map((lesson) => lesson.dir)
    .filter((dir) => existsSync(path.join(dir, "README.md"))),
].map((dir) => ({
  english: path.join(dir, "README.md"),
  chinese: path.join(dir, "README.zh-CN.md"),
}));

/** The "## " headings of a Markdown file, leaving out lines inside fenced code blocks. */
function sectionHeadings(file: string): string[] {
  let fence: string | undefined;
  const headings: string[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
    } else if (fence === undefined && /^##\s/.test(line)) {
      headings.push(line.trim());
    }
  }
  return headings;
}

describe.each(pairs.map((pair) => [shown(pair.english), pair] as const))(
  "%s and its Chinese translation",
  (_name, { english, chinese }) => {
    const translation = shown(chinese);

    it("has a README.zh-CN.md beside it", () => {
      expect(existsSync(chinese), `translate ${shown(english)} into ${translation}`).toBe(true);
    });

    it("links back to the English README on its first line", () => {
      if (!existsSync(chinese)) return;
      const firstLine = readFileSync(chinese, "utf8").split("\n")[0]?.trim();
      expect(firstLine, `${translation} starts with "[English](README.md) | 中文"`).toBe(
        "[English](README.md) | 中文",
      );
    });

    it("has the same task numbers in the same order", () => {
      if (!existsSync(chinese)) return;
      const tasks = (file: string) => readTaskHeadings(file).map((heading) => heading.task);
      expect(
        tasks(chinese),
        `${translation} needs one "### 任务 N：标题" per "### Task N: Title" of the English README`,
      ).toEqual(tasks(english));
    });

    it("writes its task headings the Chinese way, each with a title", () => {
      if (!existsSync(chinese)) return;
      const lines = readFileSync(chinese, "utf8").split("\n");
      for (const heading of readTaskHeadings(chinese)) {
        expect(
          lines[heading.line - 1],
          `${translation}:${heading.line} should read "### 任务 ${heading.task}：标题"`,
        ).toMatch(new RegExp(`^### 任务 ${heading.task}：\\S`));
      }
    });

    it("has as many sections (## headings) as the English README", () => {
      if (!existsSync(chinese)) return;
      expect(
        sectionHeadings(chinese).length,
        `${translation} should have one "## " heading per section of the English README: ` +
          sectionHeadings(english).join(" | "),
      ).toBe(sectionHeadings(english).length);
    });
  },
);

// The Chinese hints (hints.zh-CN.md) give the same hints, task by task, as the English ones, so
// `npm run hint` in Chinese never skips or repeats one.
describe.each(listLessons().map((lesson) => [lesson.name, lesson.dir] as const))(
  "the hints of %s",
  (_name, dir) => {
    it("have a Chinese twin with as many hints per task as the English file", () => {
      const shape = (file: string) =>
        [...readHints(path.join(dir, file))].map(([task, hints]) => `${task}:${hints.length}`);
      expect(existsSync(path.join(dir, "hints.zh-CN.md")), "write hints.zh-CN.md").toBe(true);
      expect(shape("hints.zh-CN.md")).toEqual(shape("hints.md"));
    });
  },
);
