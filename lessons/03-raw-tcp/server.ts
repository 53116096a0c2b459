import net from "node:net";
import { ByteBudget } from "../../shared/byte-budget.js";
import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
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
 * came with, as soon as it is ready. A client that sends bytes we cannot read, sends nothing
 * for too long, or takes too long over one frame loses its own connection, and nobody else
 * notices.
 */

export interface ServerOptions {
  /** Bodies over this size close the connection: the most one connection may buffer. 16 MiB. */
  maxFrameBytes?: number;
  /** Stop reading a connection's requests while it has this many calls running. Default 1000. */
  maxInFlight?: number;
  /** Close a connection that has sent nothing and has no call running for this long. 60 s. */
  idleTimeoutMs?: number;
  /** Close a connection whose unfinished frame has not been completed within this time. 30 s. */
  frameTimeoutMs?: number;
  /**
   * Bytes of unfinished frames all connections together may hold. Default 64 MiB. Past it, the
   * connection holding the most is closed, so a few cannot take it all from the others.
   */
  maxBufferedBytes?: number;
  /**
   * Connections open at once. Default 1000. At the cap, a new connection takes the place of
   * the oldest one that never sent a byte, else of the oldest idle one; with none, it is closed.
   */
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
   * Stops accepting connections, lets calls in flight finish and send their replies, refuses
   * calls that arrive meanwhile, then closes every connection. Connections still open after
   * `graceMs` are cut.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

type Limits = Required<Omit<ServerOptions, "log" | "maxConnections">>;

/** What the connections of one server share: the stub, the limits, the log, one budget. */
interface Shared {
  stub: ServerStub;
  limits: Limits;
  log: (line: string) => void;
  /**
   * Bytes of unfinished frames, all connections together (`limits.maxBufferedBytes`): each
   * connection opens its account and keeps it up to date; past the limit, the budget drops the
   * connection that holds the most.
   */
  budget: ByteBudget;
}

/** What shutdown and the connection cap need of each connection. */
interface ServedConnection {
  socket: net.Socket;
  /** Ends the connection as soon as no call is running on it; calls arriving meanwhile are refused. */
  endWhenIdle(): void;
  /** No call running and no frame begun: closing it now loses nobody anything. */
  isIdle(): boolean;
}

const connectionsOf = new WeakMap<net.Server, Set<ServedConnection>>();

/** A net.Server serving `service` (an object of functions, or a ready Registry). */
export function createServer(service: object | Registry, options: ServerOptions = {}): net.Server {
  const shared: Shared = {
    stub: new ServerStub(service instanceof Registry ? service : Registry.fromService(service)),
    limits: {
      maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
      maxInFlight: options.maxInFlight ?? 1000,
      idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
      frameTimeoutMs: options.frameTimeoutMs ?? 30_000,
      maxBufferedBytes: options.maxBufferedBytes ?? 64 * 1024 * 1024,
    },
    log: options.log ?? console.error,
    budget: new ByteBudget(options.maxBufferedBytes ?? 64 * 1024 * 1024),
  };
  const serveConnection = connectionHandler(shared);
  const connections = new Set<ServedConnection>(); // oldest first
  // Every socket is a file descriptor: the server keeps at most this many.
  const maxConnections = options.maxConnections ?? 1000;
  // allowHalfOpen: a client may send its calls, end its side, and still read the replies.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    if (connections.size >= maxConnections && !closeOneIdle(connections)) {
      socket.destroy(); // every connection is busy: this one is refused
      return;
    }
    const connection = serveConnection(socket);
    connections.add(connection);
    socket.once("close", () => connections.delete(connection));
  });
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

/**
 * Makes room for a new connection: closes the oldest that never sent a byte, else the oldest
 * idle one. Idle sockets, however many, never lock out a client that comes to call.
 */
function closeOneIdle(connections: Set<ServedConnection>): boolean {
  let victim: ServedConnection | undefined;
  for (const connection of connections) {
    if (connection.socket.bytesRead === 0) {
      victim = connection;
      break;
    }
    if (!victim && connection.isIdle()) victim = connection;
  }
  if (!victim) return false;
  connections.delete(victim); // now, not at "close": the next newcomer looks at the others
  victim.socket.destroy();
  return true;
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
 * Task 4. Returns what serves one connection: it reads frames with a FrameDecoder of its own,
 * decodes each body as a call (lesson 2's `decodeCall`), runs it with `shared.stub.execute`
 * without awaiting it (a slow call must hold up no other), and writes the reply bytes back in
 * one frame under the request ID the call came with. Whatever it does, it keeps to these rules:
 *
 * - A frame over the limit, or a body that is not a call: this peer cannot be followed any
 *   more. Log one line with the RpcError's code and message, and destroy the socket.
 * - The client ends its side: log a line containing "middle of a frame" if the decoder still
 *   holds bytes, then end our side once no call of this connection is running.
 * - Flow control: stop reading (`socket.pause()`) while `limits.maxInFlight` calls of this
 *   connection run, or while `socket.write` has returned false and "drain" has not come.
 * - Idle timeout: a connection that sends nothing for `limits.idleTimeoutMs` while none of its
 *   calls runs is closed, without a log line (`socket.setTimeout`).
 * - Budget: an unfinished frame must be completed within `limits.frameTimeoutMs`, and the
 *   bytes of unfinished frames are held to `shared.budget`: open an account with
 *   `shared.budget.open(drop)` and keep it up to date with `account.hold(decoder.bufferedBytes)`
 *   (false: this connection was dropped). When all connections would pass the limit, the budget
 *   calls `drop` of the one holding the most. A connection that breaks either rule is logged and
 *   destroyed, and gives its bytes back when it closes (`account.release()`).
 * - `isIdle()`: true while no call of this connection runs and no frame is begun; at the
 *   connection cap, the server closes an idle connection to let a new one in.
 * - `endWhenIdle()` (shutdown): end the socket once no call runs; a call that arrives after it
 *   is not run but answered with RpcError "unavailable", "the server is shutting down".
 * - Socket errors: ECONNRESET and EPIPE are routine (a client vanished); log any other.
 */
function connectionHandler(_shared: Shared): (socket: net.Socket) => ServedConnection {
  return todo("task 4: serve a connection");
}
