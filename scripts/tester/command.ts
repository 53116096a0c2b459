import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { createInterface } from "node:readline";
import type { StdioLink } from "./stage.js";

/** The learner's server, started as a command in a process group of its own. */
export interface RunningCommand {
  alive(): boolean;
  /** The last lines it printed (stdout and stderr), to show when it fails. */
  output(): string;
  /** Its stdio as lines, when started with `stdio: true`. */
  stdio?: StdioLink;
  /** Stops it and everything it started, and waits until it has exited. */
  stop(): Promise<void>;
  exited: Promise<string>;
}

const KEPT_LINES = 30;

export function startCommand(
  argv: string[],
  env: Record<string, string>,
  { stdio = false }: { stdio?: boolean } = {},
): RunningCommand {
  const [file, ...args] = argv;
  const child = spawn(file!, args, {
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
    // Its own process group: stopping it reaches whatever it started (npm, sh, tsx, python).
    detached: true,
    cwd: process.env.INIT_CWD ?? process.cwd(),
  });
  const lines: string[] = [];
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > KEPT_LINES) lines.shift();
  };
  createInterface({ input: child.stderr! }).on("line", keep);
  let link: StdioLink | undefined;
  if (stdio) link = stdioLink(child, keep);
  else createInterface({ input: child.stdout! }).on("line", keep);

  let state: string | undefined;
  const exited = new Promise<string>((resolve) => {
    child.once("error", (error) => {
      state = `could not start: ${error.message}`;
      resolve(state);
    });
    child.once("exit", (code, signal) => {
      state = signal ? `killed by ${signal}` : `exited with code ${code}`;
      resolve(state);
    });
  });
  return {
    alive: () => state === undefined,
    output: () => lines.join("\n"),
    stdio: link,
    exited,
    async stop() {
      if (state !== undefined) return;
      signalGroup(child, "SIGTERM");
      const timer = setTimeout(() => signalGroup(child, "SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
      signalGroup(child, "SIGKILL"); // whatever the command started and left behind
    },
  };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // the group is gone already
  }
}

function stdioLink(child: ChildProcess, keep: (line: string) => void): StdioLink {
  const waiting: ((line: string | undefined) => void)[] = [];
  const ready: (string | undefined)[] = [];
  const lines = createInterface({ input: child.stdout! });
  const deliver = (line: string | undefined) => {
    const take = waiting.shift();
    if (take) take(line);
    else ready.push(line);
  };
  lines.on("line", (line) => deliver(line));
  lines.on("close", () => deliver(undefined));
  child.stdin!.on("error", () => {}); // a server that exits closes its stdin: seen as its exit
  return {
    send: (line) => void child.stdin!.write(`${line}\n`),
    next: (timeoutMs) =>
      ready.length > 0
        ? Promise.resolve(ready.shift())
        : new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
              waiting.splice(waiting.indexOf(take), 1);
              reject(new Error(`no line from the server within ${timeoutMs} ms`));
            }, timeoutMs);
            const take = (line: string | undefined) => {
              clearTimeout(timer);
              resolve(line);
            };
            waiting.push(take);
          }),
  };
}

/** A port nobody listens on now, for the command to bind. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Resolves once `probe` succeeds; rejects when the command exits first or `timeoutMs` passes.
 * A program in another language tells nothing when it is ready, so asking is all there is.
 */
export async function waitUntil(
  command: RunningCommand,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!command.alive()) {
      const state = await command.exited;
      throw new Error(
        `the command ${state}${state.startsWith("could not") ? "" : ` before ${what}`}`,
      );
    }
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the command was not ${what} within ${timeoutMs / 1000} s`);
}

/** True once something accepts a TCP connection on host:port. */
export function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
