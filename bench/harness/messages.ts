/** What the parent and its worker processes say to each other over the IPC channel. */

export interface RunRequest {
  type: "run";
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

export interface RunResult {
  type: "result";
  calls: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  /** Latency percentiles in microseconds. */
  p50Us: number;
  p99Us: number;
  /** The client process's CPU time (user + system) over the measured window, in microseconds. */
  clientCpuUs: number;
}

export interface Usage {
  type: "usage";
  /** User + system CPU time of the process since it started, in microseconds. */
  cpuUs: number;
  /** The largest resident set size the process has had, in kilobytes. */
  maxRssKb: number;
}

export type ToWorker = RunRequest | { type: "go" } | { type: "usage" } | { type: "close" };

export type FromWorker =
  | { type: "ready"; address: string }
  | { type: "failed"; message: string }
  | { type: "warm" }
  | RunResult
  | Usage
  | { type: "closed" };
