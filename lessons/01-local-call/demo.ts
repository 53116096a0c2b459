import { callAsIfRemote } from "./as-if-remote.js";
import { calculator } from "./calculator.js";

// The same calls, made locally and "as if remote", side by side.
// npm run demo 1            (the reference solution)
// npm run demo 1 -- --mine  (your files)

const calls: [keyof typeof calculator, unknown[]][] = [
  ["add", [1, 2]],
  ["subtract", [5, 3]],
  ["hello", ["Ada"]],
  ["divide", [1, 0]],
  ["multiply", [1e308, 10]],
];

function show(value: unknown): string {
  if (value instanceof Error) {
    const extra = "code" in value ? ` code=${String(value.code)}` : "";
    const remote = "remoteName" in value ? ` remoteName=${String(value.remoteName)}` : "";
    return `throws ${value.name}: ${value.message}${extra}${remote}`;
  }
  return `→ ${typeof value === "number" ? String(value) : JSON.stringify(value)}`;
}

async function main() {
  for (const [name, args] of calls) {
    const label = `${name}(${args.map((a) => JSON.stringify(a)).join(", ")})`.padEnd(22);
    let local: unknown;
    try {
      local = (calculator[name] as (...a: unknown[]) => unknown)(...args);
    } catch (error) {
      local = error;
    }
    const remote = await callAsIfRemote(calculator, name, args).catch((error: unknown) => error);
    console.log(`local      ${label} ${show(local)}`);
    console.log(`as remote  ${label} ${show(remote)}\n`);
  }
  console.log("A remote call answers later, carries only data, and knows methods only by name.");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
