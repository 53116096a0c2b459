import { readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where the demos of lessons 8–10 find their broker, so that a workshop needs no copy and
 * paste: `npm run broker` in one terminal, `npm run demo 9 server` in another.
 * Order: a `--url` flag, then AMQP_URL, then the broker `npm run broker` is running.
 */
const RUNNING_BROKER_FILE = fileURLToPath(new URL("../../.course/broker-url", import.meta.url));

export function rememberRunningBroker(url: string): void {
  mkdirSync(dirname(RUNNING_BROKER_FILE), { recursive: true });
  writeFileSync(RUNNING_BROKER_FILE, url + "\n");
}

export function forgetRunningBroker(): void {
  rmSync(RUNNING_BROKER_FILE, { force: true });
}

/** The value after `--name` on the demo's command line. */
export function demoFlag(name: string, argv = process.argv): string | undefined {
  const index = argv.indexOf(`--${name}`);
  return index === -1 ? undefined : argv[index + 1];
}

/** The broker URL for a demo, or one line saying how to get a broker, and exit. */
export function demoBrokerUrl(): string {
  const url = demoFlag("url") ?? process.env.AMQP_URL ?? readRunningBroker();
  if (url) return url;
  console.error(
    "no broker: run `npm run broker` in another terminal first (or pass --url, or set AMQP_URL)",
  );
  process.exit(1);
}

export function readRunningBroker(): string | undefined {
  try {
    return readFileSync(RUNNING_BROKER_FILE, "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}
