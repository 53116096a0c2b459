import { spawn } from "node:child_process";
import { ROOT } from "./paths.js";
import { TREE_ENV, type Tree } from "./trees.js";

/** Runs a TypeScript file of the course in its own Node process, wired to the chosen tree. */
export function runTypeScript(file: string, args: string[], tree: Tree): Promise<number> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--import", "./scripts/lib/tree-register.ts", file, ...args],
    { cwd: ROOT, stdio: "inherit", env: { ...process.env, [TREE_ENV]: tree } },
  );
  // Ctrl-C reaches the child through the terminal; wait for it to finish its own shutdown.
  process.on("SIGINT", () => {});
  return new Promise((resolve) => child.on("close", (code) => resolve(code ?? 1)));
}
