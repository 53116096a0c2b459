import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * The HTTP plumbing that lessons 4, 5 and 6 share and do not teach: start a server on a port
 * and stop it again, keep idle sockets from locking callers out, and refuse an upload politely.
 */

export interface ListenOptions {
  /** 0 (the default) lets the OS pick a free port. */
  port?: number;
  host?: string;
}

export interface RunningHttpServer {
  port: number;
  /** `http://host:port/`, the URL a client of the lesson is given. */
  url: string;
  /** Stops listening, closes idle keep-alive connections, resolves when the last one is gone. */
  close(): Promise<void>;
}

export async function listenHttp(
  server: Server,
  { port = 0, host = "127.0.0.1" }: ListenOptions = {},
): Promise<RunningHttpServer> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${bound}/`, // [::1] for IPv6
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections(); // keep-alive clients would otherwise hold it open
      }),
  };
}

export interface ConnectionLimits {
  /**
   * Connections open at once (each holds a file descriptor). Default 1000. At the cap, a new
   * one takes the place of the oldest connection that never sent a byte, else of the oldest
   * with no request in progress; only when every one is busy is the newcomer closed.
   */
  maxConnections?: number;
  /**
   * A connection that has sent nothing at all is closed after this long. Default 60 s. (Node
   * closes the others itself: keep-alive after `keepAliveTimeout`, unfinished headers after
   * `headersTimeout`, but a socket that never sends a byte it keeps for ever.)
   */
  idleTimeoutMs?: number;
}

/**
 * Holds `server` to a number of connections in a way idle sockets cannot exploit: however many
 * an attacker opens and renews, a client that comes to call gets in. Returns `server`.
 */
export function limitConnections(
  server: Server,
  { maxConnections = 1000, idleTimeoutMs = 60_000 }: ConnectionLimits = {},
): Server {
  const open = new Map<Socket, { requests: number }>(); // oldest first
  server.on("connection", (socket: Socket) => {
    if (open.size >= maxConnections && !closeOneIdle(open)) {
      socket.destroy(); // every connection is in the middle of a request
      return;
    }
    const state = { requests: 0 };
    open.set(socket, state);
    const silent = setTimeout(() => socket.bytesRead === 0 && socket.destroy(), idleTimeoutMs);
    silent.unref();
    socket.once("close", () => {
      clearTimeout(silent);
      open.delete(socket);
    });
  });
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const state = open.get(request.socket);
    if (!state) return;
    state.requests += 1;
    response.once("close", () => (state.requests -= 1));
  });
  return server;
}

/** Closes the oldest connection that never sent a byte, else the oldest idle one. */
function closeOneIdle(open: Map<Socket, { requests: number }>): boolean {
  let victim: Socket | undefined;
  for (const [socket, { requests }] of open) {
    if (socket.bytesRead === 0) {
      victim = socket;
      break;
    }
    if (!victim && requests === 0) victim = socket;
  }
  if (!victim) return false;
  open.delete(victim); // now, not at "close": the next newcomer looks at the others
  victim.destroy();
  return true;
}

/** How long a refused upload may go on arriving, to be thrown away, before the socket closes. */
export const DEFAULT_DISCARD_MS = 10_000;

/**
 * Call just before answering a request whose body was refused (413) before it was read. Many
 * clients (Python's urllib, xmlrpc.client, jsonrpclib) send the whole body before they read a
 * reply. Closing the connection while their bytes are still arriving resets it: their next
 * write fails with EPIPE, and the 413 they never read is lost. So the connection stays open
 * (even when the client asked for "Connection: close"), and the rest of the body is read and
 * dropped (no memory is kept) for at most `discardMs`; a client still sending after that loses
 * its connection.
 */
export function discardRefusedBody(
  request: IncomingMessage,
  response: ServerResponse,
  discardMs = DEFAULT_DISCARD_MS,
): void {
  if (request.complete) return;
  response.shouldKeepAlive = true; // else Node closes the socket as soon as the 413 is written
  request.resume(); // flowing with no 'data' listener: every chunk is dropped as it arrives
  const timer = setTimeout(() => request.socket.destroy(), discardMs).unref();
  request.once("end", () => {
    clearTimeout(timer);
    // The connection was kept only to drain the body: a client that asked to close gets it now.
    if (/\bclose\b/i.test(request.headers.connection ?? "")) request.socket.end();
  });
  request.once("close", () => clearTimeout(timer));
}
