import net from "node:net";
import type { DecoderFactory, Direction, WireMessage } from "./message.js";
import { rawMessage } from "./raw.js";

/** Copies what `from` receives to `to`, for one direction of connection `connection`. */
export type Relay = (
  from: net.Socket,
  to: net.Socket,
  direction: Direction,
  connection: number,
) => void;

const pipeRelay: Relay = (from, to) => void from.pipe(to);

/** One message as it passed, with where and when. */
export interface Passed extends WireMessage {
  connection: number;
  direction: Direction;
  at: Date;
}

export interface WireProxy {
  port: number;
  /** Takes no new connections; resolves when the open ones have ended by themselves. */
  drain(): Promise<void>;
  /** Cuts every connection now. */
  close(): Promise<void>;
  /** Cuts every open connection and keeps listening for new ones; returns how many it cut. */
  cut(): number;
}

/**
 * A TCP proxy: every connection to it opens one to the upstream server, and bytes are copied
 * both ways by pipe(), unchanged, in order, with backpressure. A tap beside each pipe feeds a
 * decoder; whatever it throws is shown as raw bytes, never reaches the sockets.
 */
export async function startProxy(options: {
  upstream: { host: string; port: number };
  decoder: DecoderFactory;
  onMessage: (message: Passed) => void;
  onConnection?: (id: number, event: "open" | "close", detail?: string) => void;
  host?: string;
  port?: number;
  /**
   * Copies one direction of one connection; the default is `from.pipe(to)`. A fault proxy
   * passes its own, which cuts, delays or drops what it copies.
   */
  relay?: Relay;
}): Promise<WireProxy> {
  let next = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (client) => {
    const id = ++next;
    const upstream = net.connect({ ...options.upstream, noDelay: true });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    }
    options.onConnection?.(id, "open");
    const shared = {}; // what both directions' decoders of this connection share
    tap(client, "to-server", id, shared, options);
    tap(upstream, "to-client", id, shared, options);
    const relay = options.relay ?? pipeRelay;
    relay(client, upstream, "to-server", id);
    relay(upstream, client, "to-client", id);
    let reported = false;
    const end = (detail?: string) => {
      if (!reported) options.onConnection?.(id, "close", detail);
      reported = true;
    };
    client.on("error", (e) => {
      end(`client: ${e.message}`);
      upstream.destroy();
    });
    upstream.on("error", (e) => {
      end(`server: ${e.message}`);
      client.destroy();
    });
    client.on("close", () => {
      end();
      upstream.end();
    });
    upstream.on("close", () => {
      end();
      client.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const closed = new Promise<void>((resolve) => server.on("close", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    drain: () => {
      server.close();
      return closed;
    },
    cut: () => {
      const open = [...sockets];
      for (const s of open) s.destroy();
      return open.length / 2;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close();
        void closed.then(resolve);
      }),
  };
}

function tap(
  socket: net.Socket,
  direction: Direction,
  connection: number,
  shared: object,
  options: { decoder: DecoderFactory; onMessage: (message: Passed) => void },
): void {
  const decoder = options.decoder(direction, shared);
  const emit = (messages: WireMessage[]) => {
    for (const m of messages) options.onMessage({ ...m, connection, direction, at: new Date() });
  };
  socket.on("data", (chunk: Buffer) => {
    try {
      emit(decoder.push(chunk));
    } catch (error) {
      emit([rawMessage(chunk, `decoder failed: ${(error as Error).message}`)]);
    }
  });
  socket.on("end", () => {
    try {
      emit(decoder.end());
    } catch {
      // nothing left worth showing
    }
  });
}
