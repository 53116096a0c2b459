import { parseArgs } from "node:util";
import { findLesson } from "../lib/lessons.js";
import { shown } from "../lib/paths.js";
import { runVitest } from "../lib/vitest-run.js";

/** npm run lesson <N> [-- --solution] [-- --watch] */
export async function lesson(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { solution: { type: "boolean" }, watch: { type: "boolean" } },
  });
  const found = findLesson(positionals[0]);
  const { code } = await runVitest({
    targets: [shown(found.dir) + "/"],
    tree: values.solution ? "solutions" : "lessons",
    watch: values.watch,
  });
  return code;
}
