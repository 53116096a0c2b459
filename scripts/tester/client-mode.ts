import { spawn } from "node:child_process";
import { UsageError } from "../lib/lessons.js";
import { startProxy } from "../wire/proxy.js";
import { describeError, StageFailure, type LessonStages } from "./stage.js";
import { Transcript } from "./transcript.js";
import { plural, type TesterOptions } from "./tester.js";

export interface ClientRun {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

const CLIENT_MS = 20_000;

/**
 * --client: the tester serves, once per stage with that stage's twist, and runs the command
 * as a client each time, with SERVER_URL pointing at a recording proxy in front of it.
 */
export async function runClientStages(
  lesson: LessonStages,
  options: TesterOptions,
  print: (line: string) => void,
  extraEnv: Record<string, string> = {},
): Promise<number> {
  const client = lesson.client;
  if (!client)
    throw new UsageError(`lesson ${options.lesson} has no --client stages; lessons 3, 5 and 11 do`);
  const stages = client.stages.slice(0, options.stage ?? client.stages.length);
  print(`tester: ${lesson.title}, your client, ${plural(stages.length, "stage")}`);
  print(`  command: ${options.command.join(" ")}`);
  print(
    "  it gets SERVER_URL, must call add(1, 2) and divide(1, 0), print each outcome on a line, and exit",
  );
  for (const [index, stage] of stages.entries()) {
    const label = `${index + 1}. ${stage.name}`;
    const transcript = new Transcript(["client", "tester"]);
    const server = await stage.serve();
    const proxy = await startProxy({
      upstream: { host: "127.0.0.1", port: server.port },
      decoder: lesson.decoder,
      onMessage: (m) => transcript.add(m),
    });
    let run: ClientRun | undefined;
    let failure: { expected: string; got: string; hint?: string } | undefined;
    try {
      run = await runClient(options.command, { ...extraEnv, SERVER_URL: client.url(proxy.port) });
      if (options.verbose) for (const line of transcript.lines({ max: 50 })) print(`    ${line}`);
      stage.check(run);
    } catch (error) {
      failure =
        error instanceof StageFailure
          ? { expected: error.expected, got: error.got, hint: error.hint }
          : { expected: "the stage to finish", got: describeError(error) };
    } finally {
      await proxy.close();
      await server.close();
    }
    print(`${failure ? "✗" : "✓"} ${label}`);
    if (failure) {
      print("");
      print(`stage ${index + 1} failed: ${stage.name}`);
      print(`  expected: ${failure.expected}`);
      print(`  got:      ${failure.got}`);
      if (failure.hint) print(`  hint:     ${failure.hint}`);
      if (run) {
        print(
          `  your client ${run.timedOut ? `was still running after ${CLIENT_MS / 1000} s` : `exited with ${run.code}`}; it printed:`,
        );
        for (const line of (run.stdout + run.stderr).trim().split("\n").slice(-6))
          print(`    ${line}`);
      }
      const lines = transcript.lines();
      if (lines.length > 0) {
        print("the exchange, decoded:");
        for (const line of lines) print(`  ${line}`);
      }
      print(`${index} of ${stages.length} stages passed`);
      return 1;
    }
  }
  print(stages.length === 1 ? "the stage passed" : `all ${stages.length} stages passed`);
  return 0;
}

function runClient(argv: string[], env: Record<string, string>): Promise<ClientRun> {
  const [file, ...args] = argv;
  return new Promise((resolve) => {
    const child = spawn(file!, args, {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group, stopped whole
      cwd: process.env.INIT_CWD ?? process.cwd(),
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // gone already
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill("SIGKILL");
    }, CLIENT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: `${stderr}${error.message}`, timedOut });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      kill("SIGKILL"); // anything it started and left behind
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** The lines a client printed, without blank ones. */
export function printedLines(run: ClientRun): string[] {
  return run.stdout
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

/** The two checks every --client stage makes: the client exits, and prints 3 for add(1, 2). */
export function expectAddPrinted(run: ClientRun, twist: string): void {
  if (run.timedOut) {
    throw new StageFailure(
      `your client to exit ${twist}`,
      `still running after ${CLIENT_MS / 1000} s`,
      "close the connection when you are done",
    );
  }
  const lines = printedLines(run);
  if (!/(^|[^\d.])3(\.0+)?($|[^\d.])/.test(lines[0] ?? "")) {
    throw new StageFailure(
      `a first line with 3, the result of add(1, 2), ${twist}`,
      JSON.stringify(lines.slice(0, 4)),
    );
  }
  if (lines.length < 2) {
    throw new StageFailure(
      `a second line, the outcome of divide(1, 0), ${twist}`,
      JSON.stringify(lines),
    );
  }
}

/** A client must not hang on a server that vanished: it reports and exits. */
export function expectGaveUp(run: ClientRun): void {
  if (run.timedOut) {
    throw new StageFailure(
      "your client to report the lost connection and exit",
      `still waiting after ${CLIENT_MS / 1000} s`,
      "reject the calls in flight when the connection closes",
    );
  }
  if (printedLines(run).some((l) => /(^|[^\d.])3(\.0+)?($|[^\d.])/.test(l))) {
    throw new StageFailure(
      "no result printed: the server never answered",
      JSON.stringify(printedLines(run)),
    );
  }
}
