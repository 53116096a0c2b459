import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FromWorker, ToWorker } from "./messages.js";
import type { TargetContext } from "./target.js";

const ROOT = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
const WORKER = path.join(ROOT, "bench", "harness", "worker.ts");

/** Extra Node flags for every worker, e.g. --cpu-prof (set by `npm run bench -- --profile`). */
export const workerFlags: string[] = [];

/** Every worker still running, so that Ctrl-C or a crash of the parent can end them all. */
const live = new Set<Worker>();

export function killAllWorkers(): void {
  for (const worker of live) worker.kill();
}

interface Waiter {
  type: FromWorker["type"];
  resolve(message: FromWorker): void;
  reject(error: Error): void;
}

/** One worker process (bench/harness/worker.ts) and the messages it sends back. */
export class Worker {
  readonly #child: ChildProcess;
  readonly #waiters: Waiter[] = [];
  #stderr = "";
  #exited = false;

  constructor(
    readonly name: string,
    args: string[],
  ) {
    this.#child = spawn(process.execPath, [...workerFlags, "--import", "tsx", WORKER, ...args], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    live.add(this);
    this.#child.stderr!.setEncoding("utf8").on("data", (text: string) => {
      this.#stderr = (this.#stderr + text).slice(-2_000);
    });
    this.#child.on("message", (message: FromWorker) => {
      if (message.type === "failed") return this.#failAll(new Error(message.message));
      const at = this.#waiters.findIndex((w) => w.type === message.type);
      if (at >= 0) this.#waiters.splice(at, 1)[0]!.resolve(message);
    });
    this.#child.on("exit", (code, signal) => {
      this.#exited = true;
      live.delete(this);
      const why = signal ? `killed by ${signal}` : `exited with code ${code}`;
      const stderr = this.#stderr.trim() ? `\n${this.#stderr.trim()}` : "";
      this.#failAll(new Error(`the ${this.name} ${why}${stderr}`));
    });
    this.#child.on("error", (error) => this.#failAll(error));
  }

  static server(file: string, context: TargetContext): Worker {
    return new Worker("server", ["server", file, JSON.stringify(context)]);
  }

  static client(file: string, context: TargetContext, address: string): Worker {
    return new Worker("client", ["client", file, JSON.stringify(context), address]);
  }

  #failAll(error: Error): void {
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
  }

  /** Waits for the next message of `type`, failing after `timeoutMs`. */
  expect<T extends FromWorker["type"]>(
    type: T,
    timeoutMs: number,
  ): Promise<Extract<FromWorker, { type: T }>> {
    if (this.#exited) return Promise.reject(new Error(`the ${this.name} is not running`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const at = this.#waiters.indexOf(waiter);
        if (at >= 0) this.#waiters.splice(at, 1);
        const stderr = this.#stderr.trim() ? `\n${this.#stderr.trim()}` : "";
        reject(
          new Error(`the ${this.name} did not answer "${type}" within ${timeoutMs} ms${stderr}`),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        type,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message as Extract<FromWorker, { type: T }>);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  send(message: ToWorker): void {
    if (!this.#exited && this.#child.connected) this.#child.send(message);
  }

  /** Asks the worker to close and waits for it to exit; kills it if it takes too long. */
  async stop(timeoutMs = 5_000): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.#child.once("exit", () => resolve()));
    this.send({ type: "close" });
    const late = setTimeout(() => this.kill(), timeoutMs);
    await exited;
    clearTimeout(late);
  }

  kill(): void {
    if (!this.#exited) this.#child.kill("SIGKILL");
  }
}
