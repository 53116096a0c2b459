import { describe, expect, it } from "vitest";
import { listLessons } from "./lib/lessons.js";
import { typecheckLesson } from "./lib/typecheck.js";

/**
 * `npm run lesson N` type-checks the lesson's files and what they import, and nothing else:
 * a declaration that only some other file brings in (a vitest `ProvidedContext`, say) would
 * show the learner an error in a file they never touched.
 */
describe("each lesson type-checks on its own", () => {
  it.concurrent.each(listLessons().map((l) => [l.name, l] as const))(
    "%s: the starter compiles with only its own imports",
    async (_name, lesson) => {
      const errors = await typecheckLesson(lesson);
      expect(errors.map((e) => `${e.location} ${e.message}`)).toEqual([]);
    },
    180_000,
  );
});
