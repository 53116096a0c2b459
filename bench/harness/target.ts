/**
 * What one row of the benchmark needs from a transport: a server for the calculator's
 * `add(a, b)` and a client that calls it. Each file in bench/targets/ exports these two
 * functions; the server and the client run in separate processes (bench/harness/worker.ts).
 */

export interface TargetContext {
  /** The broker for AMQP rows: AMQP_URL or a private RabbitMQ started for this run. */
  amqpUrl?: string;
}

export interface ProcessUsage {
  /** User + system CPU time since the process started, in microseconds. */
  cpuUs: number;
  /** The largest resident set size the process has had, in kilobytes. */
  maxRssKb: number;
}

export interface BenchServer {
  /** Whatever the client needs to find the server: "127.0.0.1:40123", a queue name... */
  address: string;
  /** When the server runs in another process (a Python peer): that process's usage. */
  usage?(): ProcessUsage | undefined;
  close(): Promise<void>;
}

/** What a client that runs its own closed loop (a Python peer) reports for one run. */
export interface LoopResult {
  latenciesUs: number[];
  errors: number;
  firstError?: string;
  elapsedMs: number;
  /** The client process's CPU time over the loop, in microseconds. */
  cpuUs: number;
}

/** A Node client gives `add`; a client in another process runs the loop itself (`runLoop`). */
export type BenchClient = { close(): Promise<void> } & (
  | { add(a: number, b: number): Promise<number>; runLoop?: undefined }
  | { runLoop(concurrency: number, durationMs: number): Promise<LoopResult>; add?: undefined }
);

export interface ClientOptions extends TargetContext {
  /** How many calls the client will keep in flight (e.g. the size of an HTTP agent's pool). */
  concurrency: number;
}

export interface TargetModule {
  serve(context: TargetContext): Promise<BenchServer>;
  connect(address: string, options: ClientOptions): Promise<BenchClient>;
}

/** "127.0.0.1:40123" → { host, port } */
export function hostPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(":");
  return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
}
