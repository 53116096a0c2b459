import net from "node:net";
import { forgetRunningBroker, readRunningBroker } from "./demo-url.js";

/**
 * A broker that is already there: AMQP_URL when it is set, otherwise the one `npm run broker`
 * is running. Tests, demos and the benchmark use it instead of starting a broker of their own
 * (no run waits 10–20 s for a broker to start). A broker that does not answer is one clear line.
 */
export type ExistingBroker =
  { url: string; source: "AMQP_URL" | "npm run broker" } | { problem: string } | undefined;

/** "amqp://guest:secret@host:5672/" → "amqp://guest:***@host:5672/": never print a password. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(not a URL)";
  }
}

/** Connects and closes; the reason in a few words when the broker cannot be used. */
export async function brokerProblem(url: string, timeoutMs = 3_000): Promise<string | undefined> {
  try {
    const { default: amqp } = await import("amqplib");
    const connection = await amqp.connect(url, { timeout: timeoutMs, noDelay: true });
    connection.on("error", () => {});
    await connection.close();
    return undefined;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return e.code ?? e.message?.split("\n")[0] ?? String(error);
  }
}

export async function findExistingBroker(
  env: NodeJS.ProcessEnv = process.env,
): Promise<ExistingBroker> {
  const fromEnv = env.AMQP_URL;
  if (fromEnv) {
    const problem = await brokerProblem(fromEnv);
    if (!problem) return { url: fromEnv, source: "AMQP_URL" };
    return {
      problem:
        `AMQP_URL=${withoutPassword(fromEnv)} does not answer (${problem}): start that broker, ` +
        "or run `npm run broker` in another terminal and unset AMQP_URL " +
        "(with AMQP_URL unset, the tests start a private RabbitMQ themselves)",
    };
  }
  const running = readRunningBroker();
  if (!running) return undefined;
  // Our own broker, on a port it chose: its port answering is enough (no AMQP handshake, no
  // amqplib to load before the first test runs).
  if (await portAnswers(running)) return { url: running, source: "npm run broker" };
  forgetRunningBroker(); // left behind by a broker that is gone
  return undefined;
}

/** Whether something accepts TCP connections at the URL's host and port. */
function portAnswers(url: string, timeoutMs = 1_000): Promise<boolean> {
  let host: string;
  let port: number;
  try {
    const parsed = new URL(url);
    host = parsed.hostname.replace(/^\[|\]$/g, "");
    port = Number(parsed.port || 5672);
  } catch {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    const done = (answers: boolean) => {
      socket.destroy();
      resolve(answers);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });
}
