import { UsageError } from "../lib/lessons.js";
import { accepts, freePort, startCommand, waitUntil, type RunningCommand } from "./command.js";
import { faultRelay } from "./fault-proxy.js";
import { consumerCount, brokerFor, type Broker } from "./broker.js";
import { runStages, type StageResult } from "./run.js";
import type { LessonStages } from "./stage.js";
import { runClientStages } from "./client-mode.js";
import { startProxy, type WireProxy } from "../wire/proxy.js";
import { rawDecoder } from "../wire/raw.js";

const USAGE = `usage: npm run tester <N> -- [--stage K] [--verbose] [--faults SEED] [--client] <command…>
  checks a server written in any language over the wire, in lesson N's stages (3–12)
  the command gets PORT (and, for lessons 8–10, AMQP_URL) in its environment; e.g.
    npm run tester 6 -- /usr/bin/python3 my_server.py
    npm run tester 3 -- sh -c 'npm run serve -- tcp://127.0.0.1:$PORT'
  --stage K      run stages 1..K only
  --verbose      show every message of every stage
  --faults SEED  a proxy that cuts, delays and drops, replayed by SEED
  --client       the tester is the server: the command is a client and gets SERVER_URL
  --ready S      seconds the command may take to start listening (default 60)`;

/** Which module holds each lesson's stages. */
const LESSONS: Record<number, () => Promise<LessonStages>> = {
  3: async () => (await import("./stages-03.js")).lesson,
  4: async () => (await import("./stages-04.js")).lesson,
  5: async () => (await import("./stages-05.js")).lesson,
  6: async () => (await import("./stages-06.js")).lesson,
  7: async () => (await import("./stages-07.js")).lesson,
  8: async () => (await import("./stages-08.js")).lesson,
  9: async () => (await import("./stages-09.js")).lesson,
  10: async () => (await import("./stages-10.js")).lesson,
  11: async () => (await import("./stages-11.js")).lesson,
  12: async () => (await import("./stages-12.js")).lesson,
};

export interface TesterOptions {
  lesson: number;
  stage?: number;
  verbose: boolean;
  faults?: number;
  client: boolean;
  readyMs: number;
  command: string[];
}

export function parseTesterArgs(args: string[]): TesterOptions {
  const [lessonArg, ...rest] = args;
  const match = /^0*(\d+)(?:-|$)/.exec(lessonArg ?? "");
  if (!match) throw new UsageError(USAGE);
  const options: TesterOptions = {
    lesson: Number(match[1]),
    verbose: false,
    client: false,
    readyMs: 60_000,
    command: [],
  };
  const number = (flag: string, value: string | undefined) => {
    if (value === undefined || !/^\d+$/.test(value)) {
      throw new UsageError(`${flag} takes a whole number, not "${value ?? ""}"\n${USAGE}`);
    }
    return Number(value);
  };
  let i = 0;
  for (; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === "--") {
      i++;
      break;
    }
    if (!arg.startsWith("--")) break;
    if (arg === "--verbose") options.verbose = true;
    else if (arg === "--client") options.client = true;
    else if (arg === "--stage") options.stage = number(arg, rest[++i]);
    else if (arg === "--faults") options.faults = number(arg, rest[++i]);
    else if (arg === "--ready") options.readyMs = number(arg, rest[++i]) * 1000;
    else throw new UsageError(`unknown option ${arg}\n${USAGE}`);
  }
  options.command = rest.slice(i);
  if (options.command.length === 0) throw new UsageError(`no command to test\n${USAGE}`);
  return options;
}

/** npm run tester <N> -- [options] <command…> */
export async function tester(
  args: string[],
  print = (line: string) => console.log(line),
  /** More environment for the command (the tests pick a deliberately broken server so). */
  extraEnv: Record<string, string> = {},
) {
  const options = parseTesterArgs(args);
  const load = LESSONS[options.lesson];
  if (!load) {
    throw new UsageError(
      `the tester has no stages for lesson ${options.lesson}; it checks lessons ${Object.keys(LESSONS).join(", ")}`,
    );
  }
  const lesson = await load();
  if (options.client) return runClientStages(lesson, options, print, extraEnv);

  let stages = options.faults === undefined ? lesson.stages : (lesson.faultStages ?? []);
  if (options.faults !== undefined && stages.length === 0) {
    throw new UsageError(`lesson ${options.lesson} has no fault stages`);
  }
  if (options.stage !== undefined) stages = stages.slice(0, options.stage);

  let broker: Broker | undefined;
  let serverSide: WireProxy | undefined;
  let command: RunningCommand | undefined;
  const stop = () => void command?.stop();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    const env: Record<string, string> = {};
    const commandEnv = () => ({ ...extraEnv, ...env });
    let upstream: { host: string; port: number };
    if (lesson.ready === "consumes") {
      broker = await brokerFor(print);
      env.AMQP_URL = broker.url;
      const url = new URL(broker.url);
      upstream = { host: url.hostname, port: Number(url.port || 5672) };
      if (options.faults !== undefined) {
        // The server's own broker connections pass a fault proxy: cut writes, delays, and
        // cuts the stages make at points the seed chooses.
        serverSide = await startProxy({
          upstream,
          decoder: () => rawDecoder(),
          onMessage: () => {},
          relay: faultRelay(
            { seed: options.faults, dropChance: 0, stream: "broker" },
            print,
            "broker conn",
          ),
        });
        const proxied = new URL(broker.url);
        proxied.hostname = "127.0.0.1";
        proxied.port = String(serverSide.port);
        env.AMQP_URL = proxied.href;
      }
    } else {
      upstream = { host: "127.0.0.1", port: await freePort() };
      if (lesson.ready === "listens") env.PORT = String(upstream.port);
    }
    print(`tester: ${lesson.title}, ${plural(stages.length, "stage")}`);
    print(`  command: ${options.command.join(" ")}`);
    print(
      `  ${Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ")}`,
    );
    if (options.faults !== undefined) {
      print(`  faults: seed ${options.faults} (the same seed replays the same faults)`);
    }
    // Someone else may consume the queue already (a broker shared through AMQP_URL): the
    // command is ready when it adds a consumer of its own.
    const consumersBefore =
      lesson.ready === "consumes" ? await consumerCount(broker!.url, lesson.readyQueue!) : 0;
    if (consumersBefore > 0) {
      print(
        `  note: ${plural(consumersBefore, "other consumer")} on "${lesson.readyQueue}" may take the tester's messages; unset AMQP_URL for a broker of its own`,
      );
    }
    command = startCommand(options.command, commandEnv(), { stdio: lesson.ready === "stdio" });
    if (lesson.ready === "listens") {
      await waitUntil(
        command,
        () => accepts(upstream.host, upstream.port),
        options.readyMs,
        `listening on port ${upstream.port}`,
      );
    } else if (lesson.ready === "consumes") {
      const queue = lesson.readyQueue!;
      await waitUntil(
        command,
        async () => (await consumerCount(broker!.url, queue)) > consumersBefore,
        options.readyMs,
        `consuming from the queue "${queue}"`,
      );
    }
    const results = await runStages({
      stages,
      decoder: lesson.decoder,
      upstream,
      command,
      amqpUrl: broker?.url,
      // Lessons 8–10: the faults sit between the server and its broker, not before the tester.
      relay:
        options.faults === undefined || lesson.ready === "consumes"
          ? undefined
          : faultRelay({ seed: options.faults }, print),
      verbose: options.verbose,
      faulty: options.faults !== undefined,
      print,
      stdio: lesson.ready === "stdio",
      seed: options.faults,
      cutServerBrokerConnections: serverSide
        ? () => {
            print("fault: the server's broker connections cut");
            return serverSide!.cut();
          }
        : undefined,
    });
    return report(results, stages.length, command, print);
  } catch (error) {
    print(`✗ ${(error as Error).message}`);
    const output = command?.output();
    if (output) print(`the command's last lines:\n${indent(output)}`);
    return 1;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    await command?.stop();
    await serverSide?.close();
    await broker?.stop();
  }
}

export function report(
  results: StageResult[],
  total: number,
  command: { output(): string; alive(): boolean },
  print: (line: string) => void,
): number {
  const failed = results.find((r) => !r.ok);
  if (!failed) {
    print(total === 1 ? "the stage passed" : `all ${total} stages passed`);
    return 0;
  }
  print("");
  print(`stage ${results.length} failed: ${failed.name}`);
  print(`  expected: ${failed.failure!.expected}`);
  print(`  got:      ${failed.failure!.got}`);
  if (failed.failure!.hint) print(`  hint:     ${failed.failure!.hint}`);
  if (failed.transcript.length > 0) {
    print("the exchange, decoded:");
    print(indent(failed.transcript.join("\n")));
  }
  if (!command.alive()) print("the server is no longer running.");
  const output = command.output();
  if (output) print(`the server's last lines:\n${indent(output.split("\n").slice(-8).join("\n"))}`);
  print(`${results.length - 1} of ${total} stages passed; --verbose shows every exchange`);
  return 1;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}
