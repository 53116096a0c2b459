import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The HTTP plumbing that lessons 5 and 6 share and do not teach: start a server on a port and
 * stop it again, and refuse an upload politely.
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
  request.once("end", () => clearTimeout(timer));
  request.once("close", () => clearTimeout(timer));
}
