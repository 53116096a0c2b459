import type { DecoderFactory } from "../wire/message.js";
import { startProxy, type Passed, type Relay, type WireProxy } from "../wire/proxy.js";
import type { RunningCommand } from "./command.js";
import { describeError, StageFailure, type Stage, type StageContext } from "./stage.js";
import { formatMessage, Transcript } from "./transcript.js";
import { Prng } from "./prng.js";

export interface StageResult {
  name: string;
  ok: boolean;
  ms: number;
  failure?: { expected: string; got: string; hint?: string };
  transcript: string[];
}

export interface RunOptions {
  stages: Stage[];
  decoder: DecoderFactory;
  upstream: { host: string; port: number };
  command: RunningCommand;
  amqpUrl?: string;
  relay?: Relay;
  verbose: boolean;
  faulty: boolean;
  print: (line: string) => void;
  stageTimeoutMs?: number;
  /** The server speaks on its stdio: no proxy; stages record what they send and read. */
  stdio?: boolean;
  /** Under --faults. */
  seed?: number;
  cutServerBrokerConnections?: () => number;
}

/**
 * Runs stages in order through a recording proxy in front of the server, printing one line
 * per stage; stops at the first failure, since later stages build on earlier ones.
 */
export async function runStages(options: RunOptions): Promise<StageResult[]> {
  // Lessons 8–10: the tester's traffic goes to the broker, not to the server.
  const sides: [string, string] = ["tester", options.amqpUrl ? "broker" : "server"];
  const transcript = new Transcript(sides);
  let proxy: WireProxy | undefined;
  const results: StageResult[] = [];
  const record = (m: Passed) => {
    transcript.add(m);
    if (options.verbose)
      for (const line of formatMessage(m, 4, sides)) options.print(`    ${line}`);
  };
  try {
    proxy = options.stdio
      ? undefined
      : await startProxy({
          upstream: options.upstream,
          decoder: options.decoder,
          relay: options.relay,
          onMessage: (m) => record(m),
        });
    const ctx: StageContext = {
      host: "127.0.0.1",
      port: proxy?.port ?? 0,
      record,
      direct: options.upstream,
      // The tester's own AMQP traffic passes the recording proxy too, for the transcript.
      amqpUrl: options.amqpUrl && proxy ? viaProxy(options.amqpUrl, proxy.port) : options.amqpUrl,
      server: options.command,
      stdio: options.command.stdio,
      note: (line) => {
        if (options.verbose) options.print(`    ${line}`);
      },
      faulty: options.faulty,
      cutServerBrokerConnections: options.cutServerBrokerConnections,
    };
    for (const [index, stage] of options.stages.entries()) {
      transcript.clear();
      const label = `${index + 1}. ${stage.name}`;
      if (options.verbose) options.print(`── ${label}`);
      if (options.seed !== undefined) ctx.random = Prng.derive(options.seed, "stage", index);
      const started = Date.now();
      const result: StageResult = { name: stage.name, ok: true, ms: 0, transcript: [] };
      try {
        await withDeadline(stage.run(ctx), options.stageTimeoutMs ?? 30_000);
      } catch (error) {
        result.ok = false;
        result.failure =
          error instanceof StageFailure
            ? { expected: error.expected, got: error.got, hint: error.hint }
            : { expected: "the stage to finish", got: describeError(error) };
        // Let the last replies reach the transcript before it is shown.
        await new Promise((resolve) => setTimeout(resolve, 50));
        result.transcript = transcript.lines();
      }
      result.ms = Date.now() - started;
      results.push(result);
      options.print(`${result.ok ? "✓" : "✗"} ${label}  (${result.ms} ms)`);
      if (!result.ok) break;
    }
  } finally {
    await proxy?.close();
  }
  return results;
}

function withDeadline(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StageFailure(`the stage to finish within ${ms / 1000} s`, "it hung")),
        ms,
      );
    }),
  ]);
}

/** The broker's URL with the proxy's address: the tester's own AMQP traffic is recorded. */
function viaProxy(url: string, port: number): string {
  const proxied = new URL(url);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(port);
  return proxied.href;
}
