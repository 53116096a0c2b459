import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { inspect } from "node:util";
import { UsageError } from "../lib/lessons.js";
import { ROOT } from "../lib/paths.js";
import type { Transport } from "../lib/transport.js";
import { RpcError } from "../../shared/rpc-error.js";

const TRANSPORTS_DIR = path.join(ROOT, "scripts", "transports");

export async function loadTransports(): Promise<Transport[]> {
  const files = readdirSync(TRANSPORTS_DIR).filter(
    (f) => f.endsWith(".ts") && !f.endsWith(".test.ts"),
  );
  const modules = await Promise.all(
    files.sort().map((f) => import(pathToFileURL(path.join(TRANSPORTS_DIR, f)).href)),
  );
  return modules.map((m) => (m as { transport: Transport }).transport);
}

/** "1" → 1, "true" → true, '{"a":1}' → { a: 1 }, and anything else stays a string. */
export function parseArgument(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Splits `add 1 2 --topic calc --stream` into positionals and flags. */
export function splitFlags(args: string[]): {
  positionals: string[];
  flags: Record<string, string | true>;
} {
  const positionals: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const flag = /^--([a-z][\w-]*)(?:=(.*))?$/i.exec(arg);
    if (!flag) {
      positionals.push(arg);
    } else if (flag[2] !== undefined) {
      flags[flag[1]!] = flag[2];
    } else if (args[i + 1] !== undefined && !args[i + 1]!.startsWith("--")) {
      flags[flag[1]!] = args[++i]!;
    } else {
      flags[flag[1]!] = true;
    }
  }
  return { positionals, flags };
}

/** npm run call -- <url> <method> [args...] [--timeout ms] [--other flags] */
export async function call(args: string[]): Promise<number> {
  const transports = await loadTransports();
  const known = transports.map((t) => `  ${t.describe}`).join("\n") || "  (none yet)";
  const { positionals, flags } = splitFlags(args);
  const [address, method, ...rest] = positionals;
  if (!address || !method) {
    throw new UsageError(
      `usage: npm run call -- <url> <method> [args...] [--timeout ms]\n` +
        `  arguments are JSON when they parse (1, true, "[1,2]"), else text; rabbit:// passes\n` +
        `  them by name: add a=1 b=2, the names the method declares (plain values get the\n` +
        `  calculator's names a, b in order)\n` +
        `servers it can reach:\n${known}`,
    );
  }
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new UsageError(`"${address}" is not a URL; try tcp://127.0.0.1:4242`);
  }
  const transport = transports.find((t) => t.schemes.includes(url.protocol));
  if (!transport) throw new UsageError(`no transport for "${url.protocol}//" — known:\n${known}`);
  const timeoutMs = typeof flags.timeout === "string" ? Number(flags.timeout) : 10_000;
  try {
    const reply = await transport.call(url, method, rest.map(parseArgument), { flags, timeoutMs });
    if (reply !== null && typeof reply === "object" && Symbol.asyncIterator in reply) {
      for await (const item of reply as AsyncIterable<unknown>) console.log(formatReply(item));
    } else {
      console.log(formatReply(reply));
    }
    return 0;
  } catch (reason) {
    const error = RpcError.from(reason);
    const remote = error.remoteName ? ` (${error.remoteName})` : "";
    console.error(`error: ${error.code}${remote}: ${error.message}`);
    return 1;
  }
}

/**
 * A reply as JSON when JSON can say it; otherwise as Node prints values, so that a Map with
 * integer keys (zerorpc), a bigint past 2^53 or bytes show as what they are, not as {} or an
 * error about serializing.
 */
export function formatReply(value: unknown): string {
  if (value === undefined) return "undefined";
  return isJsonPlain(value, 0)
    ? JSON.stringify(value)
    : inspect(value, { depth: null, breakLength: Infinity, maxArrayLength: 1000 });
}

function isJsonPlain(value: unknown, depth: number): boolean {
  if (value === null || ["string", "boolean"].includes(typeof value)) return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object" || depth > 100) return false;
  if (Array.isArray(value)) return value.every((item) => isJsonPlain(item, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
    return false;
  }
  return Object.values(value).every((item) => isJsonPlain(item, depth + 1));
}
