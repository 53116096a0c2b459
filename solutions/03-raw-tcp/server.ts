import net from "node:net";
import { RpcError } from "../../shared/rpc-error.js";
import {
  decodeCall,
  encodeReply,
  errorToWire,
  type Call,
} from "../../solutions/02-call-id-and-serialization/messages.js";
import { Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import { ServerStub } from "../../solutions/02-call-id-and-serialization/server-stub.js";
import { DEFAULT_MAX_FRAME_BYTES, encodeFrame, FrameDecoder } from "./framing.js";

/**
 * The RPC server over raw TCP. Every client keeps one connection open and may send many calls
 * without waiting; each call runs on its own and its reply goes back, under the request ID it
 * came with, as soon as it is ready. A client that sends bytes we cannot read loses its own
 * connection and nobody else notices.
 */

export interface ServerOptions {
  /** Bodies over this size close the connection. Default 16 MiB. */
  maxFrameBytes?: number;
  /** Stop reading a connection's requests while it has this many calls running. Default 1000. */
  maxInFlight?: number;
  /**
   * A connection silent this long with no call running is closed; one silent this long in the
   * middle of a frame is cut. Idle sockets would otherwise pile up until the server runs out
   * of file descriptors. Default 60 s.
   */
  idleTimeoutMs?: number;
  /**
   * Bytes of unfinished frames buffered across all connections together. Each connection may
   * hold up to maxFrameBytes of a frame it has not finished; without a shared budget, a few
   * dozen half-sent frames would take gigabytes. The connection that goes over is closed.
   * Default 256 MiB.
   */
  maxBufferedBytes?: number;
  /** Connections beyond this are refused by the OS listener. Default 10,000. */
  maxConnections?: number;
  /** Where problems with a connection are reported. Default: console.error. */
  log?: (line: string) => void;
}

export interface ServeOptions extends ServerOptions {
  /** 0 (the default) lets the OS pick a free port. */
  port?: number;
  host?: string;
}

export interface RunningTcpServer {
  host: string;
  port: number;
  /** tcp://host:port, what `connect` and `npm run call` take. */
  url: string;
  /**
   * Stops accepting connections, lets calls in flight finish and send their replies, then
   * closes every connection. Connections still open after `graceMs` are cut.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

interface Connection {
  /** Ends the connection as soon as no call is running on it. */
  endWhenIdle(): void;
  socket: net.Socket;
}

const connectionsOf = new WeakMap<net.Server, Set<Connection>>();

/** A net.Server serving `service` (an object of functions, or a ready Registry). */
export function createServer(service: object | Registry, options: ServerOptions = {}): net.Server {
  const stub = new ServerStub(
    service instanceof Registry ? service : Registry.fromService(service),
  );
  const serveConnection = connectionHandler(
    stub,
    options,
    new BufferBudget(options.maxBufferedBytes),
  );
  const connections = new Set<Connection>();
  // allowHalfOpen: a client may send its calls, end its side, and still read the replies.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    const connection = serveConnection(socket);
    connections.add(connection);
    socket.once("close", () => connections.delete(connection));
  });
  server.maxConnections = options.maxConnections ?? 10_000;
  connectionsOf.set(server, connections);
  return server;
}

/** createServer, listening. For demos, the benchmark and `npm run call`. */
export async function serve(
  service: object | Registry,
  { port = 0, host = "127.0.0.1", ...options }: ServeOptions = {},
): Promise<RunningTcpServer> {
  const server = createServer(service, options);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    host: address.address,
    port: address.port,
    url: `tcp://${shownHost}:${address.port}`,
    close: ({ graceMs = 2_000 } = {}) => shutdown(server, graceMs),
  };
}

async function shutdown(server: net.Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const connections = connectionsOf.get(server) ?? new Set();
  for (const connection of connections) connection.endWhenIdle();
  const late = setTimeout(() => {
    for (const connection of connections) connection.socket.destroy();
  }, graceMs);
  await closed;
  clearTimeout(late);
}

/**
 * The bytes of unfinished frames held by all connections of one server together. A connection
 * reports how much it holds after every chunk; the one that takes the total over the budget is
 * told no.
 */
class BufferBudget {
  #used = 0;
  constructor(readonly maxBytes = 256 * 1024 * 1024) {}

  /** Moves a connection's share from `before` to `after` bytes; false when over budget. */
  update(before: number, after: number): boolean {
    this.#used += after - before;
    return this.#used <= this.maxBytes;
  }
}

/** What to do with each new connection: read frames, run calls, write replies. */
function connectionHandler(
  stub: ServerStub,
  {
    maxFrameBytes = DEFAULT_MAX_FRAME_BYTES,
    maxInFlight = 1000,
    idleTimeoutMs = 60_000,
    log = console.error,
  }: ServerOptions,
  budget: BufferBudget,
): (socket: net.Socket) => Connection {
  return (socket) => {
    socket.setNoDelay(true); // a reply is one small write: send it now, not 40 ms later
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    const decoder = new FrameDecoder(maxFrameBytes);
    let inFlight = 0;
    let ending = false;
    let waitingForDrain = false;
    let corked = false;
    let held = 0; // this connection's share of the buffer budget

    const drop = (reason: unknown) => {
      const error = RpcError.from(reason);
      log(`closing the connection from ${peer}: ${error.code}: ${error.message}`);
      socket.destroy();
    };

    // Silence: a connection with nothing running is closed; one stuck mid-frame is cut.
    socket.setTimeout(idleTimeoutMs, () => {
      if (decoder.bufferedBytes > 0) {
        drop(new RpcError("deadline_exceeded", `a frame half-sent for ${idleTimeoutMs} ms`));
      } else if (inFlight === 0) {
        log(`closing the connection from ${peer}: idle for ${idleTimeoutMs} ms`);
        socket.end();
      }
    });
    socket.once("close", () => {
      budget.update(held, 0);
      held = 0;
    });

    // Flow control: stop reading new calls while the client does not read our replies, or
    // while it already has many calls running here.
    const updateFlow = () => {
      if (socket.destroyed) return;
      if (waitingForDrain || inFlight >= maxInFlight) socket.pause();
      else socket.resume();
    };

    const endWhenIdle = () => {
      ending = true;
      if (inFlight === 0 && !socket.destroyed) socket.end();
    };

    const reply = (requestId: number, body: Uint8Array) => {
      inFlight -= 1;
      if (socket.destroyed || !socket.writable) return; // the client is gone: nobody to tell
      let frame: Uint8Array;
      try {
        frame = encodeFrame(requestId, body, maxFrameBytes);
      } catch (error) {
        frame = encodeFrame(requestId, encodeReply({ ok: false, error: errorToWire(error) }));
      }
      // Replies finishing in the same tick leave in one batch (see client.ts's #write).
      if (!corked) {
        corked = true;
        socket.cork();
        process.nextTick(() => {
          corked = false;
          socket.uncork();
        });
      }
      if (!socket.write(frame) && !waitingForDrain) {
        waitingForDrain = true;
        socket.once("drain", () => {
          waitingForDrain = false;
          updateFlow();
        });
      }
      if (ending && inFlight === 0) socket.end();
      else updateFlow();
    };

    socket.on("data", (chunk: Buffer) => {
      // Once our side has ended, no reply can leave: run nothing we could not answer.
      if (socket.destroyed || !socket.writable) return;
      let frames;
      try {
        frames = decoder.push(chunk);
      } catch (error) {
        return drop(error); // too large: what follows is unreadable
      }
      const holding = decoder.bufferedBytes;
      const withinBudget = budget.update(held, holding);
      held = holding;
      if (!withinBudget) {
        return drop(new RpcError("too_large", "the server holds too many unfinished frames"));
      }
      for (const { requestId, body } of frames) {
        let call: Call;
        try {
          call = decodeCall(body);
        } catch (error) {
          return drop(error); // not a call: this peer does not speak our protocol
        }
        inFlight += 1;
        if (ending) {
          // The server is closing: say so, rather than run a call whose reply may never leave.
          const refusal = new RpcError("unavailable", "the server is shutting down");
          reply(requestId, encodeReply({ ok: false, error: errorToWire(refusal) }));
          continue;
        }
        // Not awaited: each call runs on its own, so a slow one holds up no other call, and
        // replies leave in the order they finish. execute() never rejects.
        void stub.execute(call).then((body) => reply(requestId, body));
      }
      updateFlow();
    });

    socket.on("end", () => {
      if (decoder.bufferedBytes > 0) {
        log(`${peer} closed its side in the middle of a frame (${decoder.bufferedBytes} bytes)`);
      }
      endWhenIdle();
    });

    socket.on("error", (error: NodeJS.ErrnoException) => {
      // A client that vanished mid-call is routine; anything else is worth a line.
      if (error.code !== "ECONNRESET" && error.code !== "EPIPE") {
        log(`connection from ${peer} failed: ${error.message}`);
      }
    });

    return { endWhenIdle, socket };
  };
}
