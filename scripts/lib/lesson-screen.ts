import { writeFileSync } from "node:fs";
import { findLesson, type Lesson } from "./lessons.js";
import { messages } from "./messages.js";
import { shown } from "./paths.js";
import { rememberResults } from "./results-cache.js";
import { summarize, type RunResults, type TestOutcome } from "./results.js";
import { printLessonSummary, type CompileError } from "./summary-output.js";
import type { Tree } from "./trees.js";
import { typecheckLesson } from "./typecheck.js";

/**
 * `npm run lesson N` as seen from inside vitest: the task reporter draws the screen itself, so
 * the command pays for no second process that loads TypeScript. The type check runs beside
 * the tests, started with them; in watch mode each rerun starts a new one, and the table keeps
 * the latest result of every test, rerun or not.
 */
export class LessonScreen {
  readonly lesson: Lesson;
  readonly #tree: Tree;
  readonly #watch: boolean;
  readonly #verdictFile: string | undefined;
  readonly #latest = new Map<string, TestOutcome[]>();
  #typecheck: Promise<CompileError[]> = Promise.resolve([]);
  #changed: string | undefined;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.lesson = findLesson(env.COURSE_SCREEN);
    this.#tree = env.COURSE_TREE === "solutions" ? "solutions" : "lessons";
    this.#watch = env.COURSE_WATCH === "1";
    this.#verdictFile = env.COURSE_VERDICT;
  }

  /** A run begins (the first, or a rerun after a save of `changed`): check the types beside it. */
  beginRun(changed?: string): void {
    if (changed === undefined) this.#sayFlagsFromNpm();
    const dir = this.#tree === "solutions" ? this.lesson.solutionDir : this.lesson.dir;
    this.#typecheck = typecheckLesson(this.lesson, dir);
    this.#changed = changed || undefined;
  }

  /** Draws the one screen; in watch mode, over the last one. */
  async draw(results: RunResults): Promise<void> {
    for (const file of new Set(results.tests.map((test) => test.file))) {
      this.#latest.set(
        file,
        results.tests.filter((test) => test.file === file),
      );
    }
    const merged: RunResults = {
      tests: [...this.#latest.values()].flat(),
      brokenFiles: results.brokenFiles,
    };
    const summary = summarize(merged).find((s) => s.lesson === this.lesson.name);
    const compileErrors = await this.#typecheck;
    const say = messages();
    if (this.#watch) {
      process.stdout.write("\x1b[2J\x1b[H");
      if (this.#changed) console.log(say.changed(shown(this.#changed)));
    }
    if (this.#tree === "lessons") rememberResults(this.lesson, summary);
    const done = printLessonSummary(summary, { tree: this.#tree, compileErrors }, this.lesson);
    if (this.#watch) console.log(`\n${say.watching}`);
    if (this.#verdictFile) writeFileSync(this.#verdictFile, done ? "pass" : "fail");
  }

  #sayFlagsFromNpm(): void {
    const number = this.lesson.number;
    for (const flag of (process.env.COURSE_FLAGS_FROM_NPM ?? "").split(",").filter(Boolean)) {
      console.log(messages().flagFromNpm(flag, `npm run lesson ${number} -- --${flag}`));
    }
  }
}
