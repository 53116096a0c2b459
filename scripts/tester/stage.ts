import type { DecoderFactory } from "../wire/message.js";
import type { Passed } from "../wire/proxy.js";

/**
 * One named check of a lesson's protocol. A stage talks to the server through `ctx` (the
 * recording proxy's address) and throws a StageFailure saying what it expected and got.
 */
export interface Stage {
  name: string;
  run(ctx: StageContext): Promise<void>;
}

export interface StageContext {
  /** Where the stage connects: the tester's proxy in front of the server. */
  host: string;
  port: number;
  /** The server itself, with no proxy and no faults: where a stage checks "the next call". */
  direct: { host: string; port: number };
  /** The broker the server was given (lessons 8–10). */
  amqpUrl?: string;
  /** The server process: a stage asks whether it is still running after bad input. */
  server: { alive(): boolean; output(): string };
  /** The command's stdio, for servers that speak on stdin and stdout (lesson 12). */
  stdio?: StdioLink;
  /** Adds a message to the stage's transcript (for traffic that passes no proxy). */
  record(message: Passed): void;
  /** A line shown with --verbose. */
  note(line: string): void;
  /** Set under --faults: the network between tester and server cuts, delays and drops. */
  faulty: boolean;
  /**
   * Under --faults, lessons 8–10: the server's own broker connections pass a fault proxy too;
   * this cuts them now (the seed chooses when), and says how many it cut.
   */
  cutServerBrokerConnections?: () => number;
  /** Under --faults: a generator for the stage's own choices, from the seed. */
  random?: import("./prng.js").Prng;
}

/** Lines to and from a server that speaks on its stdin and stdout. */
export interface StdioLink {
  send(line: string): void;
  /** The next line the server writes, or undefined when its stdout ends. */
  next(timeoutMs: number): Promise<string | undefined>;
}

/** What a lesson gives the tester. */
export interface LessonStages {
  title: string;
  /** How the tester knows the command is ready: it listens on PORT, or consumes on AMQP. */
  ready: "listens" | "consumes" | "stdio";
  /** Decodes the traffic of a stage for its transcript. */
  decoder: DecoderFactory;
  stages: Stage[];
  /** Under --faults: what the lesson promises when the network misbehaves. */
  faultStages?: Stage[];
  /** For lessons 8–10: the queue whose consumer means "ready". */
  readyQueue?: string;
  /** With --client: the tester serves, the command is a client given SERVER_URL. */
  client?: ClientStages;
}

/**
 * The client side of a lesson: the tester serves, with a twist per stage, and runs the command
 * once per stage. The command must call add(1, 2) and divide(1, 0), print each outcome on a
 * line of its own (the result, or the error), and exit.
 */
export interface ClientStages {
  /** The URL the command gets as SERVER_URL, for a server listening on `port`. */
  url(port: number): string;
  stages: ClientStage[];
}

export interface ClientStage {
  name: string;
  /** Starts the tester's server for this stage, on a free port. */
  serve(): Promise<{ port: number; close(): Promise<void> }>;
  /** Checks what the command did: its exit and what it printed. */
  check(run: { code: number | null; stdout: string; stderr: string; timedOut: boolean }): void;
}

export class StageFailure extends Error {
  constructor(
    readonly expected: string,
    readonly got: string,
    readonly hint?: string,
  ) {
    super(`expected ${expected}, got ${got}`);
  }
}

/** Fails the stage unless `got` equals `expected` (compared as JSON). */
export function expectEqual(what: string, expected: unknown, got: unknown, hint?: string): void {
  if (!sameValue(expected, got)) {
    throw new StageFailure(`${what} = ${show(expected)}`, show(got), hint);
  }
}

export function expectThat(ok: boolean, expected: string, got: string, hint?: string): void {
  if (!ok) throw new StageFailure(expected, got, hint);
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b || Math.abs(a - b) < 1e-9;
  return show(a) === show(b);
}

export function show(value: unknown): string {
  try {
    const text =
      JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)) ??
      String(value);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return String(value);
  }
}

/** Turns whatever a stage's I/O threw into "got …" text. */
export function describeError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e?.message ? `${e.code ? `${e.code}: ` : ""}${e.message}` : String(error);
}

/** The calculator's calls every lesson checks, with the results any correct server gives. */
export const CALCULATOR_CALLS: { method: string; args: unknown[]; result: unknown }[] = [
  { method: "add", args: [1, 2], result: 3 },
  { method: "subtract", args: [5, 3], result: 2 },
  { method: "multiply", args: [4, 5], result: 20 },
  { method: "divide", args: [7, 2], result: 3.5 },
];

/** hello's greeting is the server's own wording: it must be a string that names the caller. */
export function checkGreeting(got: unknown, name: string): void {
  expectThat(
    typeof got === "string" && got.includes(name),
    `hello("${name}") to return a string that contains "${name}"`,
    show(got),
  );
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StageFailure(`${what} within ${ms} ms`, "no answer")),
        ms,
      );
    }),
  ]);
}
