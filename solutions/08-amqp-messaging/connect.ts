import { once } from "node:events";
import amqp, { type Channel, type ChannelModel } from "amqplib";
import { RpcError } from "../../shared/rpc-error.js";

/**
 * One TCP connection to the broker. A connection carries many channels; every queue, exchange,
 * publish and consume happens on a channel. Open one connection per process and a channel per
 * concern (here: one per worker or per producer).
 */
export async function connect(url: string, name = "course"): Promise<ChannelModel> {
  let connection: ChannelModel;
  try {
    connection = await amqp.connect(url, {
      // amqplib leaves Nagle's algorithm on; small frames (an ack, a tiny job) would then wait
      // up to ~40 ms for company. Off, every frame leaves at once.
      noDelay: true,
      clientProperties: { connection_name: name },
    });
  } catch (error) {
    throw new RpcError("unavailable", `no broker at ${redact(url)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  // An 'error' is always followed by 'close'; whoever cares watches 'close'. Without a
  // listener, the 'error' event would crash the process instead.
  connection.on("error", () => {});
  return connection;
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url;
  }
}

/**
 * Backpressure: `publish` and `sendToQueue` return false once amqplib's write buffer is full.
 * The message is still sent, but the caller should wait for 'drain' before the next one.
 */
export async function waitForDrain(channel: Channel): Promise<void> {
  const closed = once(channel, "close").then(() => {
    throw new RpcError(
      "unavailable",
      "the channel closed while a message was waiting to be written",
    );
  });
  try {
    await Promise.race([once(channel, "drain"), closed]);
  } finally {
    closed.catch(() => {});
  }
}
