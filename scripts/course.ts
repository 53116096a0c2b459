import { UsageError } from "./lib/lessons.js";
import { call } from "./commands/call.js";
import { demo } from "./commands/demo.js";
import { diff } from "./commands/diff.js";
import { hint } from "./commands/hint.js";
import { lesson } from "./commands/lesson.js";
import { progress } from "./commands/progress.js";
import { reset, solve } from "./commands/reset-solve.js";
import { test, testInterop } from "./commands/test.js";

/** The course CLI: `npm run <command> -- <args>` lands here as `course.ts <command> <args>`. */
const commands: Record<string, (args: string[]) => Promise<number>> = {
  lesson,
  hint,
  progress,
  diff,
  reset,
  solve,
  demo,
  call,
  test,
  "test-interop": testInterop,
};

const USAGE = `usage:
  npm run lesson <N> [-- --solution | --watch]   test your lesson N (or the reference solution)
  npm run hint <N>                               the next hint for the first failing task
  npm run progress                               every lesson: done, in progress, not started
  npm run diff <N>                               your files beside the solution's
  npm run reset <N>                              back to the starter (your files are backed up)
  npm run solve <N>                              copy the solution in (your files are backed up)
  npm run demo <N> [server|client] [-- --mine]   the lesson's demo, as in the articles
  npm run call -- <url> <method> [args...]       call a course server: tcp://, http://, ...
  npm test                                       the whole course: solutions pass, starters fail
N is 3, 03 or 03-raw-tcp.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(name ? `unknown command "${name}"\n${USAGE}` : USAGE);
    return 2;
  }
  try {
    return await command(rest);
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")
    ) {
      console.error(`course: ${(error as Error).message}`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
