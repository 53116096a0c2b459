import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { expect } from "vitest";
import { ROOT } from "../lib/paths.js";

/**
 * The `npm run call|serve|demo|wire` commands the READMEs show, and a way to run each against a
 * real server. A README's command is a promise: "type this and it works". The demo servers
 * listen on fixed ports for a learner's convenience; here every server gets a free port and the
 * commands are pointed at it, the rest of each command as the README wrote it.
 */

export interface ReadmeCommand {
  /** The command as written, without the `npm run` script's own `--`. */
  text: string;
  /** `AMQP_URL=… ` written before it. */
  env: Record<string, string>;
  /** The words after `npm run`: "call", "tcp://127.0.0.1:4242", "add", "1", "2". */
  args: string[];
}

/** Commands run together: one code block, or one command written inline. */
export interface ReadmeUnit {
  lesson: number;
  commands: ReadmeCommand[];
  /** "lessons/03-raw-tcp/README.md:186", every place the same unit is shown. */
  shownAt: string[];
}

const SCRIPTS = "call|serve|demo|wire";
const COMMAND = new RegExp(`((?:[A-Z_]+=\\S+\\s+)*)npm run (?:${SCRIPTS})\\b[^#$\\n\`]*`, "g");
/** A syntax line, not a command: `npm run call -- <url> <method> [args...]`. */
const PLACEHOLDER = /[<>[\]…]|\.\.\./;

function parseCommand(written: string): ReadmeCommand | undefined {
  const text = written.trim();
  if (PLACEHOLDER.test(text)) return undefined;
  const words = text.split(/\s+/);
  const env: Record<string, string> = {};
  while (/^[A-Z_]+=/.test(words[0]!)) {
    const [name, ...value] = words.shift()!.split("=");
    env[name!] = value.join("=");
  }
  words.splice(0, 2); // npm run
  const dashes = words.indexOf("--");
  if (dashes !== -1) words.splice(dashes, 1); // npm keeps the first -- for itself
  if (words.length < 2) return undefined; // "`npm run wire` prints…": a name, not a command
  return { text, env, args: words };
}

/** The READMEs, both languages, top level and lessons. */
export function readmeFiles(): { file: string; lesson: number }[] {
  const files = ["README.md", "README.zh-CN.md"].map((file) => ({ file, lesson: 0 }));
  for (const dir of readdirSync(path.join(ROOT, "lessons")).sort()) {
    const lesson = Number(/^(\d+)-/.exec(dir)?.[1]);
    if (!lesson) continue;
    for (const name of ["README.md", "README.zh-CN.md"]) {
      files.push({ file: `lessons/${dir}/${name}`, lesson });
    }
  }
  return files;
}

/** Every unit of commands the READMEs show, each once, with the places it is shown. */
export function readmeUnits(): ReadmeUnit[] {
  const units = new Map<string, ReadmeUnit>();
  const add = (lesson: number, commands: ReadmeCommand[], at: string) => {
    if (commands.length === 0) return;
    const key = `${lesson} ${commands.map((c) => c.text).join(" ; ")}`;
    const unit = units.get(key) ?? { lesson, commands, shownAt: [] };
    unit.shownAt.push(at);
    units.set(key, unit);
  };
  for (const { file, lesson } of readmeFiles()) {
    let text: string;
    try {
      text = readFileSync(path.join(ROOT, file), "utf8");
    } catch {
      continue;
    }
    const lineOf = (index: number) => text.slice(0, index).split("\n").length;
    // Code blocks: their commands in order, one unit.
    const blocks = [...text.matchAll(/```[^\n]*\n([\s\S]*?)```/g)];
    for (const block of blocks) {
      const commands = [...block[1]!.matchAll(COMMAND)]
        .map((m) => parseCommand(m[0]))
        .filter((c): c is ReadmeCommand => c !== undefined);
      add(lesson, commands, `${file}:${lineOf(block.index!)}`);
    }
    // Commands written inline, outside code blocks.
    const prose = text.replace(/```[\s\S]*?```/g, (block) => block.replace(/[^\n]/g, " "));
    for (const span of prose.matchAll(/`([^`\n]+)`/g)) {
      const found = [...span[1]!.matchAll(COMMAND)];
      if (found.length !== 1 || found[0]!.index !== 0) continue;
      const command = parseCommand(found[0]![0]);
      if (command) add(lesson, [command], `${file}:${lineOf(span.index!)}`);
    }
  }
  return [...units.values()];
}

/** Does this unit need RabbitMQ? */
export function needsBroker(unit: ReadmeUnit): boolean {
  return (
    [8, 9, 10].includes(unit.lesson) ||
    unit.commands.some((c) => c.args.some((a) => /^(rabbit|amqp):/.test(a)))
  );
}

/** How each lesson's demo server is put on a port, and its client pointed at it. */
const DEMO_PORTS: Record<
  number,
  { server: (port: number) => string[]; client: (port: number) => string[] }
> = {
  3: { server: (p) => ["--port", `${p}`], client: (p) => ["--port", `${p}`] },
  4: { server: (p) => ["--port", `${p}`], client: (p) => ["--url", `http://127.0.0.1:${p}`] },
  5: { server: (p) => ["--port", `${p}`], client: (p) => ["--url", `http://127.0.0.1:${p}/`] },
  6: { server: (p) => ["--port", `${p}`], client: (p) => ["--port", `${p}`] },
  7: { server: (p) => ["--port", `${p}`], client: (p) => ["--port", `${p}`] },
  11: { server: (p) => ["--port", `${p}`], client: (p) => ["--port", `${p}`] },
  12: { server: (p) => ["--port", `${p}`], client: (p) => ["--port", `${p}`] },
};
/** Lessons whose demo servers find their broker by AMQP_URL. */
const BROKER_DEMOS = [8, 9, 10];

/** A port the OS says is free now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Started {
  child: ChildProcess;
  output: () => string;
}

export interface UnitResult {
  /** Each command run, and what it printed. */
  ran: { command: string; code: number | null; output: string }[];
}

/** Runs a unit's commands in order; servers and proxies stay up until the unit is done. */
export async function runUnit(
  unit: ReadmeUnit,
  { amqpUrl = "", timeoutMs = 120_000 }: { amqpUrl?: string; timeoutMs?: number } = {},
): Promise<UnitResult> {
  const background: Started[] = [];
  const ran: UnitResult["ran"] = [];
  let serverPort: number | undefined;
  let wireUrl: string | undefined;
  const env = (extra: Record<string, string> = {}) => ({
    ...process.env,
    COURSE_TREE: "",
    COURSE_LANG: "en",
    FORCE_COLOR: "0",
    AMQP_URL: amqpUrl,
    ...extra,
  });
  const spawnCourse = (args: string[], extra?: Record<string, string>) =>
    spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "course.ts"), ...args], {
      cwd: ROOT,
      env: env(extra),
    });

  /** Starts a command that keeps running; resolves once it printed `ready`. */
  const start = async (args: string[], ready: RegExp, extra?: Record<string, string>) => {
    const child = spawnCourse(args, extra);
    let output = "";
    const started: Started = { child, output: () => output };
    background.push(started);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`"${args.join(" ")}" printed no ${ready} in time:\n${output}`)),
        timeoutMs,
      );
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (ready.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`"${args.join(" ")}" ended (${code}) before it was ready:\n${output}`));
      });
    });
    return started;
  };

  /** Runs a command to its end. */
  const run = (args: string[], extra?: Record<string, string>) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawnCourse(args, extra);
      let output = "";
      child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      child.once("exit", (code) => {
        clearTimeout(timer);
        resolve({ code, output });
      });
    });

  const startDemoServer = async (extraArgs: string[] = []) => {
    const lesson = unit.lesson;
    if (lesson === 0) {
      // The top-level README's calls go to `npm run serve`, on the transport the call names.
      const call = unit.commands.find((c) => c.args[0] === "call")!;
      const [, url, , ...words] = call.args;
      const flags = words.flatMap((word, i) =>
        word.startsWith("--") ? [word, words[i + 1]!] : [],
      );
      const broker = /^rabbit:/.test(url!);
      if (!broker) serverPort = await freePort();
      const at = broker ? amqpUrl.replace(/^amqp:/, "rabbit:") : pointed(url!);
      await start(["serve", at, ...flags], /^serving /m);
      return;
    }
    if (BROKER_DEMOS.includes(lesson)) {
      await start(["demo", `${lesson}`, "server", ...extraArgs], /\S/);
      return;
    }
    const ports = DEMO_PORTS[lesson];
    if (!ports) throw new Error(`lesson ${lesson} has no demo server this test knows`);
    serverPort = await freePort();
    await start(["demo", `${lesson}`, "server", ...extraArgs, ...ports.server(serverPort)], /\S/);
  };

  /** A URL the README wrote, pointed at the server (or the proxy) this unit started. */
  const pointed = (written: string): string => {
    if (/^(rabbit|amqp):/.test(written)) {
      const target = wireUrl ?? amqpUrl;
      const scheme = written.startsWith("rabbit:") ? "rabbit:" : "amqp:";
      return target.replace(/^(rabbit|amqp):/, scheme);
    }
    const url = new URL(written);
    const to = new URL(wireUrl ?? `http://127.0.0.1:${serverPort}`);
    url.host = to.host;
    return url.toString().replace(/\/$/, written.endsWith("/") ? "/" : "");
  };

  try {
    for (const command of unit.commands) {
      const [script, ...rest] = command.args;
      const lessonEnv = { ...command.env };
      if (lessonEnv.AMQP_URL) lessonEnv.AMQP_URL = wireUrl ?? amqpUrl;
      if (script === "demo" && rest[1] === "server") {
        await startDemoServer(rest.slice(2));
        continue;
      }
      if (script === "serve") {
        // a server that runs until stopped, on a free port: it must come up and say how to call it
        const url = new URL(rest[0]!);
        url.port = String(await freePort());
        await start([script, url.toString(), ...rest.slice(1)], /npm run call/);
        continue;
      }
      if (script === "wire") {
        if (serverPort === undefined && !/^(rabbit|amqp):/.test(rest[0]!)) await startDemoServer();
        const wire = await start(["wire", pointed(rest[0]!), ...rest.slice(1)], /instead:\s+\S+/);
        wireUrl = /instead:\s+(\S+)/.exec(wire.output())![1]!;
        continue;
      }
      const needsServer =
        (script === "call" || (script === "demo" && rest[1] === "client")) &&
        serverPort === undefined &&
        background.length === 0;
      if (needsServer) await startDemoServer();
      let args: string[];
      if (script === "call") {
        args = ["call", pointed(rest[0]!), ...rest.slice(1)];
      } else if (script === "demo" && rest[1] === "client") {
        const ports = DEMO_PORTS[unit.lesson];
        const flags = ports && serverPort !== undefined && !wireUrl ? ports.client(serverPort) : [];
        args = ["demo", ...rest, ...flags];
      } else {
        args = [script!, ...rest];
      }
      const result = await run(args, lessonEnv);
      ran.push({ command: command.text, ...result });
    }
    for (const started of background) {
      if (/wire/.test(started.child.spawnargs.join(" "))) {
        ran.push({ command: "(the wire's transcript)", code: 0, output: started.output() });
      }
    }
  } finally {
    await Promise.all(
      background.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const kill = setTimeout(() => child.kill("SIGKILL"), 5_000);
            child.once("exit", () => {
              clearTimeout(kill);
              resolve();
            });
            child.kill("SIGINT");
          }),
      ),
    );
  }
  return { ran };
}

/** The output a command is known for: add 1 2 prints 3, a wire prints the call it carried. */
export function expectWhatItShows(command: string, output: string): void {
  const add = /\bcall .* add (?:a=)?(\d+) (?:b=)?(\d+)\b/.exec(command);
  if (add) {
    expect(output.trim().split("\n").at(-1), command).toBe(String(Number(add[1]) + Number(add[2])));
  }
  if (command === "(the wire's transcript)") {
    expect(output, "the wire printed the messages it carried").toMatch(/→/);
  }
}
