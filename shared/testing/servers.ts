import type { Server as HttpServer } from "node:http";
import type { AddressInfo, Server, Socket } from "node:net";

export interface RunningServer {
  host: string;
  port: number;
  /** Stops listening and waits until every connection is closed. */
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 and a port the OS picks (port 0), so test files can run in parallel.
 * `close()` fails loudly when a connection is still open after `graceMs`: a leaked socket
 * should fail the test, not hang CI. It destroys the stragglers before throwing.
 */
export async function listenOnFreePort(
  server: Server | HttpServer,
  { graceMs = 2_000 }: { graceMs?: number } = {},
): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    host: "127.0.0.1",
    port,
    async close() {
      if ("closeIdleConnections" in server) server.closeIdleConnections();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const timer = new Promise<"late">((resolve) => setTimeout(resolve, graceMs, "late").unref());
      if ((await Promise.race([closed, timer])) === "late") {
        const open = sockets.size;
        for (const socket of sockets) socket.destroy();
        await closed;
        throw new Error(
          `the server still had ${open} open connection(s) ${graceMs} ms after close()`,
        );
      }
    },
  };
}
