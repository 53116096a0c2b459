import path from "node:path";
import { pathToFileURL } from "node:url";
import { UsageError } from "../lib/lessons.js";
import type { Service, ServingTransport } from "../lib/transport.js";
import { loadTransports, splitFlags } from "./call.js";

const CALCULATOR = new URL("../../shared/calculator.ts", import.meta.url).href;

/**
 * The functions a module exports, as a service: its own exported functions only, never a
 * class or a prototype's methods (toString, constructor, __proto__ are not exports).
 */
export async function loadService(
  spec: string | undefined,
): Promise<{ name: string; service: Service }> {
  const name = spec ?? "the calculator";
  let href = CALCULATOR;
  if (spec && spec !== "calculator") {
    const from = process.env.INIT_CWD ?? process.cwd(); // where the user typed npm run
    href = /^node:/.test(spec) ? spec : pathToFileURL(path.resolve(from, spec)).href;
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`cannot load "${spec}": ${(error as Error).message}`);
  }
  const service: Service = Object.create(null);
  for (const key of Object.keys(module)) {
    const value = module[key];
    if (key === "default" || typeof value !== "function") continue;
    if (/^class[\s{]/.test(Function.prototype.toString.call(value))) continue;
    service[key] = value as Service[string];
  }
  if (Object.keys(service).length === 0) throw new UsageError(`"${spec}" exports no functions`);
  return { name, service };
}

/** npm run serve -- <url> [module] [--topic t] [--server s] */
export async function serve(args: string[]): Promise<number> {
  const transports = await loadTransports();
  const serving = transports.filter((t): t is ServingTransport => typeof t.serve === "function");
  const known = serving.map((t) => `  ${t.describe}`).join("\n");
  const { positionals, flags } = splitFlags(args);
  const [address, spec] = positionals;
  if (!address) {
    throw new UsageError(
      `usage: npm run serve -- <url> [module | node:builtin]   (default: the calculator)\n` +
        `transports it can serve:\n${known}`,
    );
  }
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new UsageError(`"${address}" is not a URL; try tcp://127.0.0.1:4242`);
  }
  const transport = serving.find((t) => t.schemes.includes(url.protocol));
  if (!transport) throw new UsageError(`cannot serve "${url.protocol}//" — known:\n${known}`);
  const { name, service } = await loadService(spec);
  const running = await transport.serve(url, service, {
    flags,
    log: (line) => console.error(`! ${line}`),
  });
  const methods = Object.keys(service);
  console.log(`serving ${name} on ${running.url}`);
  console.log(`  methods: ${methods.join(", ")}`);
  let example = methods.includes("add") ? "add 1 2" : methods[0]!;
  if (url.protocol === "tcp:" && spec && spec !== "calculator") example += ` --module ${spec}`;
  const [callUrl, ...callFlags] = running.url.split(" ");
  console.log(
    `  try: npm run call -- ${callUrl} ${example}${callFlags.length ? ` ${callFlags.join(" ")}` : ""}`,
  );
  console.log("Ctrl-C stops it.");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  console.log("stopping: calls in flight finish first");
  await running.close();
  console.log("stopped");
  return 0;
}
