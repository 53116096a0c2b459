import type { ChannelModel } from "amqplib";
import { RpcError } from "../../shared/rpc-error.js";
import { connect } from "./connect.js";
import {
  declareWorkQueue,
  startWorker,
  type JobHandler,
  type WorkerOptions,
} from "./work-queue.js";

/**
 * A worker that outlives its broker: given, not a task (the README's "When the broker
 * restarts" says why a worker needs it). startWorker() lives on one channel of one connection;
 * when the broker restarts, both are gone, and a process whose only work was that socket
 * simply ends, with exit code 0, leaving the queue with no consumer. This wraps it: on an
 * unexpected close it connects again, declares the queue again (a restarted broker may have
 * lost a queue that was not durable) and consumes again. If the broker does not come back
 * within `giveUpAfterMs`, `finished` rejects with one clear line, and the caller exits non-zero.
 */
export interface ReconnectingWorkerOptions extends WorkerOptions {
  /** Give up after this long without a broker. Default 60 s. */
  giveUpAfterMs?: number;
  /** Told about each lost connection and each reconnect. */
  log?: (line: string) => void;
  /** The connection's name in the broker's management UI. */
  name?: string;
}

export interface ReconnectingWorker {
  /** Settles when stop() was called; rejects when the broker stayed away too long. */
  finished: Promise<void>;
  /** How many times the worker has connected again after losing the broker. */
  readonly reconnects: number;
  stop(): Promise<void>;
}

const FIRST_RETRY_MS = 250;
const LONGEST_RETRY_MS = 5_000;

export async function startReconnectingWorker(
  url: string,
  queue: string,
  handle: JobHandler,
  {
    giveUpAfterMs = 60_000,
    log = () => {},
    name = "worker",
    ...options
  }: ReconnectingWorkerOptions = {},
): Promise<ReconnectingWorker> {
  let connection: ChannelModel | undefined;
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  let stopping = false;
  let reconnects = 0;
  let settle!: { resolve(): void; reject(error: Error): void };
  const finished = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  finished.catch(() => {}); // the caller may only await it later

  // One connection, one channel, one consumer; a close we did not ask for starts over.
  const attach = async () => {
    connection = await connect(url, name);
    const channel = await connection.createChannel();
    channel.on("error", () => {}); // followed by 'close', handled on the connection
    await declareWorkQueue(channel, queue);
    worker = await startWorker(channel, queue, handle, options);
    connection.once("close", () => {
      if (stopping) return;
      log(`lost the broker; reconnecting to consume "${queue}" again`);
      void reattach();
    });
  };

  const reattach = async () => {
    const deadline = Date.now() + giveUpAfterMs;
    for (let wait = FIRST_RETRY_MS; !stopping; wait = Math.min(wait * 2, LONGEST_RETRY_MS)) {
      try {
        await attach();
        reconnects += 1;
        log(`reconnected; consuming "${queue}" again`);
        return;
      } catch (error) {
        await connection?.close().catch(() => {});
        if (Date.now() + wait > deadline) {
          const reason = RpcError.from(error).message;
          settle.reject(
            new RpcError(
              "unavailable",
              `no broker for ${giveUpAfterMs / 1000} s (${reason}); giving up`,
            ),
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  };

  await attach();
  return {
    finished,
    get reconnects() {
      return reconnects;
    },
    async stop() {
      stopping = true;
      await worker?.stop().catch(() => {});
      await connection?.close().catch(() => {});
      settle.resolve();
    },
  };
}
