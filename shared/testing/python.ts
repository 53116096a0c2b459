import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

/**
 * The interop peers are Debian packages for the system Python. The `python3` first on PATH may
 * be another interpreter that cannot import them, so the course always calls this one.
 */
export const SYSTEM_PYTHON = "/usr/bin/python3";

export interface PythonPeer {
  /** Modules the peer imports, e.g. ["jsonrpclib"]. */
  modules: string[];
  /** The Debian package that provides them, e.g. "python3-jsonrpclib-pelix". */
  debianPackage: string;
}

/** Throws one clear line when the peer is missing; an interop test never skips silently. */
export function requirePython({ modules, debianPackage }: PythonPeer): void {
  const probe = spawnSync(SYSTEM_PYTHON, ["-c", modules.map((m) => `import ${m}`).join("; ")], {
    encoding: "utf8",
  });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `interop peer missing: ${SYSTEM_PYTHON} cannot import ${modules.join(", ")} — ` +
        `install it with: sudo apt-get install ${debianPackage}`,
    );
  }
}

/** Runs a Python script to completion and returns what it printed; rejects on a non-zero exit. */
export function runPython(
  script: string,
  args: string[] = [],
  { timeoutMs = 20_000 }: { timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(SYSTEM_PYTHON, ["-c", script, ...args], { timeout: timeoutMs });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`python exited with ${code ?? signal}:\n${stderr || stdout}`));
    });
  });
}

export interface PythonServer {
  /** The first line the script printed after "READY", e.g. a port number. */
  ready: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts a long-running Python peer. The script must print "READY <something>" (usually the
 * port it bound to port 0) once it is serving; `stop()` kills it and waits for it to exit.
 */
export function startPython(
  script: string,
  args: string[] = [],
  { timeoutMs = 20_000 }: { timeoutMs?: number } = {},
): Promise<PythonServer> {
  const child = spawn(SYSTEM_PYTHON, ["-u", "-c", script, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the python peer did not print READY within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      const match = /^READY\s*(.*)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve({ ready: match[1]!.trim(), process: child, stop });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the python peer exited with ${code} before it was ready:\n${stderr}`));
    });
  });
}
