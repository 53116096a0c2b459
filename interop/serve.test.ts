import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requirePython, runPython } from "../shared/testing/python.js";

const PEER = { modules: ["zmq", "msgpack"], debianPackage: "python3-zmq python3-msgpack" };
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const script = (name: string) => readFileSync(new URL(name, import.meta.url), "utf8");

/** `npm run serve -- <url> [module]` as a learner runs it; resolves with the URL it prints. */
async function startServe(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/course.ts", "serve", ...args],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const found = /serving .* on (\S+)/.exec(output);
      if (found) resolve(found[1]!);
    });
    child.once("exit", (code) => reject(new Error(`npm run serve exited (${code}): ${output}`)));
  });
  return { child, url };
}

describe("npm run serve, called by a Python zerorpc client", () => {
  let served: { child: ChildProcess; url: string };

  beforeAll(async () => {
    requirePython(PEER);
    served = await startServe(["zerorpc+tcp://127.0.0.1:0"]);
  });

  afterAll(async () => {
    if (!served || served.child.exitCode !== null) return;
    const exited = once(served.child, "exit");
    served.child.kill("SIGTERM");
    const [code] = await exited;
    expect(code, "npm run serve stops cleanly on SIGTERM").toBe(0);
  });

  it("answers add(1, 2) with 3", async () => {
    const endpoint = served.url.replace(/^zerorpc\+/, "");
    const output = await runPython(script("./serve-zerorpc-client.py"), [
      endpoint,
      "add",
      "[1, 2]",
    ]);
    expect(output.trim()).toBe("3");
  });

  it("answers a remote error as zerorpc's ERR event", async () => {
    const endpoint = served.url.replace(/^zerorpc\+/, "");
    const output = await runPython(script("./serve-zerorpc-client.py"), [
      endpoint,
      "divide",
      "[1, 0]",
    ]);
    expect(output.trim()).toMatch(/^ERR DivisionByZeroError: /);
  });

  it("never serves a prototype name", async () => {
    const endpoint = served.url.replace(/^zerorpc\+/, "");
    const output = await runPython(script("./serve-zerorpc-client.py"), [
      endpoint,
      "toString",
      "[]",
    ]);
    expect(output.trim()).toMatch(/^ERR /);
  });
});
