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
 * came with, as soon as it is ready. A client that sends bytes we cannot read loses its own
 * connection and nobody else notices.
 */

export interface ServerOptions {
  /** Bodies over this size close the connection. Default 16 MiB. */
  maxFrameBytes?: number;
  /** Stop reading a connection's requests while it has this many calls running. Default 1000. */
  maxInFlight?: number;
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
  const serveConnection = connectionHandler(stub, options);
  const connections = new Set<Connection>();
  // allowHalfOpen: a client may send its calls, end its side, and still read the replies.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
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
 * What to do with each new connection: read frames, run calls, write replies. Each call runs on
 * its own (a slow one holds up no other) and its reply leaves under the request ID it came
 * with. A frame over the limit or a body that is not a call closes this connection alone, with
 * one log line; a client that leaves in the middle of a frame is logged ("… in the middle of a
 * frame"). The handler stops reading while the client's replies back up (write returned false,
 * until "drain") or `maxInFlight` calls run. `endWhenIdle()` (used by close) ends the
 * connection once no call runs; a call arriving meanwhile gets an "unavailable" error reply,
 * and after our side has ended nothing more is run.
 */
function connectionHandler(
  stub: ServerStub,
  {
    maxFrameBytes = DEFAULT_MAX_FRAME_BYTES,
    maxInFlight = 1000,
    log = console.error,
  }: ServerOptions,
): (socket: net.Socket) => Connection {
  return todo("task 4: serve a connection");
}
