import net from "node:net";
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
  /** Bytes of unfinished frames all connections together may hold. Default 64 MiB. */
  maxBufferedBytes?: number;
  /** Connections open at once; more are refused by closing them. Default 1000. */
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
  /** Bytes of unfinished frames held by all connections now. */
  buffered: { bytes: number };
}

/** What shutdown needs of each connection. */
interface ServedConnection {
  socket: net.Socket;
  /** Ends the connection as soon as no call is running on it; calls arriving meanwhile are refused. */
  endWhenIdle(): void;
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
    buffered: { bytes: 0 },
  };
  const serveConnection = connectionHandler(shared);
  const connections = new Set<ServedConnection>();
  // allowHalfOpen: a client may send its calls, end its side, and still read the replies.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    const connection = serveConnection(socket);
    connections.add(connection);
    socket.once("close", () => connections.delete(connection));
  });
  // Every socket is a file descriptor: past this many, Node closes new ones at once.
  server.maxConnections = options.maxConnections ?? 1000;
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
 *   bytes of unfinished frames of all connections (`shared.buffered.bytes`, kept up to date
 *   with `decoder.bufferedBytes`) may not pass `limits.maxBufferedBytes`; a connection that
 *   breaks either is logged and destroyed, and gives its bytes back when it closes.
 * - `endWhenIdle()` (shutdown): end the socket once no call runs; a call that arrives after it
 *   is not run but answered with RpcError "unavailable", "the server is shutting down".
 * - Socket errors: ECONNRESET and EPIPE are routine (a client vanished); log any other.
 */
function connectionHandler(_shared: Shared): (socket: net.Socket) => ServedConnection {
  return todo("task 4: serve a connection");
}
