import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requirePython, runPython } from "../shared/testing/python.js";

const PEER = { modules: ["zmq", "msgpack"], debianPackage: "python3-zmq python3-msgpack" };
const GRPCIO = { modules: ["grpc"], debianPackage: "python3-grpcio" };
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

async function stopServe(served: { child: ChildProcess } | undefined): Promise<void> {
  if (!served || served.child.exitCode !== null) return;
  const exited = once(served.child, "exit");
  served.child.kill("SIGTERM");
  const [code] = await exited;
  expect(code, "npm run serve stops cleanly on SIGTERM").toBe(0);
}

describe("npm run serve, called by a Python zerorpc client", () => {
  let served: { child: ChildProcess; url: string };

  beforeAll(async () => {
    requirePython(PEER);
    served = await startServe(["zerorpc+tcp://127.0.0.1:0"]);
  });

  afterAll(async () => {
    await stopServe(served);
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

describe("npm run serve -- grpc://, called by Python grpcio", () => {
  let calculator: { child: ChildProcess; url: string };
  let module: { child: ChildProcess; url: string };
  const grpcio = (url: string, path: string, args: unknown[]) =>
    runPython(script("./serve-grpcio-client.py"), [new URL(url).host, path, JSON.stringify(args)]);

  beforeAll(async () => {
    requirePython(GRPCIO);
    [calculator, module] = await Promise.all([
      startServe(["grpc://127.0.0.1:0"]),
      startServe(["grpc://127.0.0.1:0", "interop/fixtures-serve/greeter.ts"]),
    ]);
  });

  afterAll(async () => {
    await Promise.all([stopServe(calculator), stopServe(module)]);
  });

  it("serves the calculator as calculator.proto's calc.Calculator", async () => {
    expect(calculator.url).toMatch(/\/calc\.Calculator$/);
    expect((await grpcio(calculator.url, "/calc.Calculator/Add", [1, 2])).trim()).toBe("3.0");
    expect((await grpcio(calculator.url, "/calc.Calculator/Divide", [1, 0])).trim()).toBe(
      "STATUS UNKNOWN: DivisionByZeroError: division by zero",
    );
  });

  it("serves a module's functions as course.Module, JSON in a string field each way", async () => {
    expect(module.url).toMatch(/\/course\.Module$/);
    expect((await grpcio(module.url, "/course.Module/shout", ["hi"])).trim()).toBe('"HI!"');
    expect((await grpcio(module.url, "/course.Module/pairs", [3])).trim()).toBe(
      "[[0,0],[1,1],[2,4]]",
    );
    expect((await grpcio(module.url, "/course.Module/pairs", [-1])).trim()).toBe(
      "STATUS UNKNOWN: RangeError: count must be a whole number",
    );
    expect((await grpcio(module.url, "/course.Module/toString", [])).trim()).toMatch(
      /^STATUS UNIMPLEMENTED: /,
    );
  });
});
