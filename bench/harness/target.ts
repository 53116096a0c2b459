/**
 * What one row of the benchmark needs from a transport: a server for the calculator's
 * `add(a, b)` and a client that calls it. Each file in bench/targets/ exports these two
 * functions; the server and the client run in separate processes (bench/harness/worker.ts).
 */

export interface TargetContext {
  /** The broker for AMQP rows: AMQP_URL or a private RabbitMQ started for this run. */
  amqpUrl?: string;
}

export interface BenchServer {
  /** Whatever the client needs to find the server: "127.0.0.1:40123", a queue name... */
  address: string;
  close(): Promise<void>;
}

export interface BenchClient {
  add(a: number, b: number): Promise<number>;
  close(): Promise<void>;
}

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
