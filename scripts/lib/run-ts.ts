import { spawn } from "node:child_process";
import { ROOT } from "./paths.js";
import { TREE_ENV, type Tree } from "./trees.js";

/**
 * Runs a TypeScript file of the course in its own Node process, wired to the chosen tree.
 * SIGINT and SIGTERM are passed on to it, and this process waits for it to finish its own
 * shutdown, so `kill` or Ctrl-C never leaves a demo server behind holding its port.
 */
export function runTypeScript(file: string, args: string[], tree: Tree): Promise<number> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--import", "./scripts/lib/tree-register.ts", file, ...args],
    { cwd: ROOT, stdio: "inherit", env: { ...process.env, [TREE_ENV]: tree } },
  );
  return forwardSignalsTo(child);
}

/** Passes SIGINT/SIGTERM on to the child; resolves with its exit code once it has exited. */
export function forwardSignalsTo(
  child: import("node:child_process").ChildProcess,
): Promise<number> {
  const alive = () => child.exitCode === null && child.signalCode === null;
  const forward = (signal: NodeJS.Signals) => {
    // Ctrl-C in a terminal reaches the child by itself (same process group); a SIGINT sent to
    // this process alone does not, so pass it on if the child has not reacted by then.
    if (signal === "SIGINT") setTimeout(() => alive() && child.kill(signal), 500).unref();
    else if (alive()) child.kill(signal);
  };
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  return new Promise((resolve) =>
    child.on("close", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal === "SIGINT" ? 130 : signal === "SIGTERM" ? 143 : 1));
    }),
  );
}
