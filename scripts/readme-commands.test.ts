import { describe, expect, it } from "vitest";
import { expectWhatItShows, needsBroker, readmeUnits, runUnit } from "./testing/readme-commands.js";

/**
 * Every `npm run call|demo|wire` command a README shows works: run as written, against a real
 * server on a free port (lessons 8–10 and rabbit:// in readme-commands.amqp.test.ts).
 */
const units = readmeUnits();

describe("the READMEs' commands", { timeout: 300_000 }, () => {
  it("finds the commands of every lesson that has a demo", () => {
    const lessons = new Set(units.map((unit) => unit.lesson));
    for (const lesson of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) expect(lessons).toContain(lesson);
  });

  it.each(units.filter((unit) => !needsBroker(unit)).map((u) => [u.shownAt[0]!, u] as const))(
    "%s",
    async (_at, unit) => {
      const { ran } = await runUnit(unit);
      expect(ran.length, "the unit ran something").toBeGreaterThan(0);
      for (const { command, code, output } of ran) {
        expect(code, `${command} (shown at ${unit.shownAt.join(", ")}):\n${output}`).toBe(0);
        expectWhatItShows(command, output);
      }
    },
  );
});
