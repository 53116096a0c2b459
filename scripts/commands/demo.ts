import { messages } from "../lib/messages.js";
import { existsSync } from "node:fs";
import path from "node:path";
import { findLesson, UsageError } from "../lib/lessons.js";
import { shown } from "../lib/paths.js";
import { runTypeScript } from "../lib/run-ts.js";

/**
 * npm run demo <N> [server|client] [-- --mine]
 * A demo shows the finished thing, so it runs the reference solution; --mine runs your files.
 */
export async function demo(args: string[]): Promise<number> {
  const mine = args.includes("--mine");
  const [lessonArg, maybeRole, ...rest] = args.filter((arg) => arg !== "--mine");
  const lesson = findLesson(lessonArg);
  // Anything after the role (e.g. "--port 4242") goes to the demo itself.
  const role = maybeRole?.startsWith("-") ? undefined : maybeRole;
  const passThrough = role
    ? rest
    : [maybeRole, ...rest].filter((a): a is string => a !== undefined);
  const file = path.join(lesson.dir, role ? `demo-${role}.ts` : "demo.ts");
  if (!existsSync(file)) {
    const roles = ["server", "client"].filter((r) =>
      existsSync(path.join(lesson.dir, `demo-${r}.ts`)),
    );
    throw new UsageError(
      roles.length
        ? messages().demoParts(
            lesson.name,
            roles.map((r) => `"npm run demo ${lesson.number} ${r}"`).join(", then "),
          )
        : messages().demoNone(lesson.name, role ?? ""),
    );
  }
  return runTypeScript(shown(file), passThrough, mine ? "lessons" : "solutions");
}
