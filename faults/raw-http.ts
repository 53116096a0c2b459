import { expect, vi } from "vitest";
import { connect, type Socket } from "node:net";

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

/**
 * A POST that declares `bytes` of body in its Content-Length and sends all of them before it
 * reads a byte of the reply, as urllib does: a server that answers 413 must let it finish.
 */
export function uploadDeclared(
  port: number,
  path: string,
  contentType: string,
  bytes: number,
): Promise<RawReply> {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const head =
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${contentType}\r\n` +
    `Content-Length: ${bytes}\r\nConnection: close\r\n\r\n`;
  return sendRaw(port, head, chunk, Math.ceil(bytes / chunk.length));
}

/** A POST whose body of `bytes` comes chunked, 16 KiB a chunk: no length to refuse up front. */
export function uploadChunked(
  port: number,
  path: string,
  contentType: string,
  bytes: number,
): Promise<RawReply> {
  const body = Buffer.alloc(16 * 1024, 0x20);
  const chunk = Buffer.concat([
    Buffer.from(`${body.length.toString(16)}\r\n`),
    body,
    Buffer.from("\r\n"),
  ]);
  const head =
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${contentType}\r\n` +
    `Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n`;
  return sendRaw(port, head, chunk, Math.ceil(bytes / body.length));
}

/** Sockets to `port` that never send a byte: a lockout attempt by idle connections. */
export async function silentSockets(port: number, count: number) {
  const sockets: Socket[] = [];
  const closed: boolean[] = [];
  const allClosed: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const socket = connect(port, "127.0.0.1");
    socket.on("error", () => {});
    allClosed.push(new Promise((resolve) => socket.once("close", () => resolve())));
    void allClosed[i]!.then(() => (closed[i] = true));
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    sockets.push(socket);
  }
  return {
    /** Which of them the server has closed, in the order they were opened. */
    closed: () => sockets.map((_, i) => closed[i] === true),
    /** Resolves when the server has closed every one. */
    allClosed: () => Promise.all(allClosed),
    destroy: () => sockets.forEach((socket) => socket.destroy()),
  };
}

/**
 * 25 sockets that never send a byte to a server capped at 20 connections: it closes the oldest
 * five, and a caller that arrives next still gets its answer (a sixth silent socket makes room).
 */
export async function expectCallerLetInPastSilentSockets(
  server: { port: number; close(): Promise<void> },
  add: () => Promise<unknown>,
): Promise<void> {
  const silent = await silentSockets(server.port, 25);
  try {
    const oldestFive = [...Array(5).fill(true), ...Array(20).fill(false)];
    await vi.waitFor(() => expect(silent.closed()).toEqual(oldestFive));
    await expect(add(), "a caller at the cap").resolves.toBe(3);
    await vi.waitFor(() => expect(silent.closed().filter(Boolean)).toHaveLength(6));
  } finally {
    silent.destroy();
    await server.close();
  }
}
