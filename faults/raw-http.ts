import { connect } from "node:net";

/** What a raw HTTP exchange gave back. */
export interface RawReply {
  /** Everything the server sent, as text. */
  text: string;
  /** The socket error the client saw, if any (EPIPE, ECONNRESET...). */
  error?: string;
}

/**
 * Sends an HTTP request over a bare socket the way Python's urllib, xmlrpc.client and
 * jsonrpclib do: `head`, then `times` copies of `chunk` (waiting for 'drain' when the socket is
 * full), and only then reads the reply. Resolves once the server has closed the connection.
 */
export function sendRaw(
  port: number,
  head: string,
  chunk: Buffer = Buffer.alloc(0),
  times = 0,
): Promise<RawReply> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const received: Buffer[] = [];
    let error: string | undefined;
    socket.on("data", (data: Buffer) => received.push(data));
    socket.on("error", (reason: NodeJS.ErrnoException) => (error = reason.code ?? reason.message));
    socket.on("close", () => resolve({ text: Buffer.concat(received).toString("utf8"), error }));
    socket.write(head);
    let sent = 0;
    const pump = (): void => {
      while (sent < times && !socket.destroyed) {
        sent += 1;
        if (!socket.write(chunk)) return void socket.once("drain", pump);
      }
      if (!socket.destroyed) socket.end();
    };
    pump();
  });
}
