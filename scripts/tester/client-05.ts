import http from "node:http";
import { createJsonRpcServer } from "../../solutions/05-json-rpc/server.js";
import { calculator } from "../../shared/calculator.js";
import { expectAddPrinted, expectGaveUp } from "./client-mode.js";
import type { ClientStages } from "./stage.js";

type Twist = "plain" | "chunked in pieces" | "drop";

/** The reference JSON-RPC server, or one that answers with a twist. */
function serveJsonRpc(twist: Twist) {
  const reference = createJsonRpcServer(calculator);
  const server =
    twist === "plain"
      ? reference
      : http.createServer(async (request, response) => {
          if (twist === "drop") return void request.socket.destroy();
          // The reference's answer, sent back chunked in pieces of three bytes.
          const chunks: Buffer[] = [];
          for await (const chunk of request) chunks.push(chunk as Buffer);
          const answer = await askReference(reference, request, Buffer.concat(chunks));
          response.writeHead(answer.status, { "content-type": "application/json" });
          for (let i = 0; i < answer.body.length; i += 3)
            response.write(answer.body.subarray(i, i + 3));
          response.end();
        });
  if (twist !== "plain") reference.listen(0, "127.0.0.1");
  const closeReference = () =>
    twist === "plain"
      ? Promise.resolve()
      : new Promise<void>((done) => reference.close(() => done()));
  return new Promise<{ port: number; close(): Promise<void> }>((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: (server.address() as { port: number }).port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => void closeReference().then(done));
          }),
      }),
    ),
  );
}

export const client05: ClientStages = {
  url: (port) => `http://127.0.0.1:${port}/`,
  stages: [
    {
      name: "calls add(1, 2) and divide(1, 0) in JSON-RPC 2.0, prints 3 and the error, and exits",
      serve: () => serveJsonRpc("plain"),
      check: (run) => expectAddPrinted(run, "from a JSON-RPC 2.0 server"),
    },
    {
      name: "reads a reply sent chunked in pieces of three bytes",
      serve: () => serveJsonRpc("chunked in pieces"),
      check: (run) => expectAddPrinted(run, "when the reply comes chunked"),
    },
    {
      name: "reports a connection the server drops, instead of waiting forever",
      serve: () => serveJsonRpc("drop"),
      check: (run) => expectGaveUp(run),
    },
  ],
};

function askReference(
  reference: http.Server,
  request: http.IncomingMessage,
  body: Buffer,
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const inner = http.request(
      {
        host: "127.0.0.1",
        port: (reference.address() as { port: number }).port,
        method: request.method,
        path: request.url,
        headers: { "content-type": "application/json" },
        agent: false,
      },
      (reply) => {
        const parts: Buffer[] = [];
        reply.on("data", (c: Buffer) => parts.push(c));
        reply.on("end", () =>
          resolve({ status: reply.statusCode ?? 500, body: Buffer.concat(parts) }),
        );
      },
    );
    inner.on("error", reject);
    inner.end(body);
  });
}
