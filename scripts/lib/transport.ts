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
  /** Serves a service at the URL (npm run serve); a transport without it only calls. */
  serve?(url: URL, service: Service, options: ServeOptions): Promise<Serving>;
}

/** A service to serve: own, enumerable functions only (no prototype names such as toString). */
export type Service = Record<string, (...args: any[]) => unknown>;

export interface ServeOptions {
  /** Flags after the URL, e.g. `--topic calc` → { topic: "calc" }. */
  flags: Record<string, string | true>;
  /** Where the transport tells what happens (a call that failed, a client that went away). */
  log: (line: string) => void;
}

export interface Serving {
  /** The URL `npm run call` takes to reach it (the real port when the URL asked for 0). */
  url: string;
  /** Stops taking calls, lets those in flight finish, releases the port. */
  close(): Promise<void>;
}

/** A transport that `npm run serve` can use. */
export type ServingTransport = Transport & Required<Pick<Transport, "serve">>;
