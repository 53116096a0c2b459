/**
 * What `npm run call` needs from a lesson to reach its servers. Each lesson that has a server
 * adds one file to scripts/transports/ exporting `transport`; the CLI picks it by URL scheme.
 */
export interface CallOptions {
  /** Flags after the arguments, e.g. `--topic calc --timeout 5000` → { topic: "calc", timeout: "5000" }. */
  flags: Record<string, string | true>;
  timeoutMs: number;
}

export interface Transport {
  /** URL schemes, with the colon, e.g. ["tcp:"] or ["zerorpc+tcp:"]. */
  schemes: string[];
  /** One line for the help text, e.g. "lesson 3, raw TCP: tcp://127.0.0.1:4242". */
  describe: string;
  /** A plain result, or an async iterable for a streaming reply (printed one line per item). */
  call(
    url: URL,
    method: string,
    args: unknown[],
    options: CallOptions,
  ): Promise<unknown | AsyncIterable<unknown>>;
}
