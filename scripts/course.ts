import { messages } from "./lib/messages.js";
import { UsageError } from "./lib/lessons.js";

type Command = (args: string[]) => Promise<number>;

/** The course CLI: `npm run <command> -- <args>` lands here as `course.ts <command> <args>`. */
// Each command is loaded only when it runs, so one command's dependencies never slow another.
const commands: Record<string, () => Promise<Command>> = {
  lesson: async () => (await import("./commands/lesson.js")).lesson,
  hint: async () => (await import("./commands/hint.js")).hint,
  progress: async () => (await import("./commands/progress.js")).progress,
  diff: async () => (await import("./commands/diff.js")).diff,
  reset: async () => (await import("./commands/reset-solve.js")).reset,
  solve: async () => (await import("./commands/reset-solve.js")).solve,
  demo: async () => (await import("./commands/demo.js")).demo,
  call: async () => (await import("./commands/call.js")).call,
  serve: async () => (await import("./commands/serve.js")).serve,
  wire: async () => (await import("./commands/wire.js")).wire,
  tester: async () => (await import("./tester/tester.js")).tester,
  broker: async () => (await import("./commands/broker.js")).broker,
  bench: async () => (await import("./commands/bench.js")).bench,
  test: async () => (await import("./commands/test.js")).test,
  "test-cli": async () => (await import("./commands/test.js")).testCli,
  "test-interop": async () => (await import("./commands/test.js")).testInterop,
  starters: async () => (await import("./commands/starters.js")).starters,
  stress: async () => (await import("./commands/stress.js")).stress,
};

const USAGE = `usage:
  npm run lesson <N> [-- --solution | --watch | --verbose | --full]
                                                 test your lesson N (or the reference solution)
  npm run hint <N>                               the next hint for the first failing task
  npm run progress                               every lesson: done, in progress, not started
  npm run diff <N> [-- --task K]                 your files against the solution's, one page
  npm run reset <N>                              back to the starter (your files are backed up)
  npm run solve <N>                              copy the solution in (your files are backed up)
  npm run demo <N> [server|client] [-- --mine]   the lesson's demo, as in the articles
  npm run call -- <url> <method> [args...]       call a course server: tcp://, http://, ...
  npm run serve -- <url> [module]               serve the calculator (or a module) on any transport
  npm run wire -- <url> [--summary]             a proxy that prints every message, decoded
  npm run tester <N> -- <command…>              check your server, in any language, over the wire
  npm run broker                                 a private RabbitMQ for demos (Ctrl-C stops it)
  npm run bench [-- --quick | --only tcp,http]   every transport side by side (bench/README.md)
  npm test                                       the whole course: solutions pass, starters fail
  npm run test:cli                               the CLI end to end: every README command, every screen
  npm run stress [-- 3 11 --runs 20 --parallel 3] each lesson's solution many times at once
N is 3, 03 or 03-raw-tcp.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const load = name && Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    console.error(name ? `${messages().unknownCommand(name)}\n${USAGE}` : USAGE);
    return 2;
  }
  try {
    return await (
      await load()
    )(rest);
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

// `kill <npm's pid>`: npm passes SIGTERM to the shell it started, and a shell does not pass it
// on, so this process would be left running, and its demo server with it. Noticing the shell
// is gone (our parent changes) turns it into the SIGTERM that was meant for us.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, "SIGTERM");
}, 500).unref();

// `npm run diff 3 | head`: a reader that stops early is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
