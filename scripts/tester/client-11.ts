import http2 from "node:http2";
import { serve } from "../../solutions/11-grpc/server.js";
import { expectAddPrinted, expectGaveUp } from "./client-mode.js";
import type { ClientStages } from "./stage.js";

/** A gRPC server that takes each call and then drops the whole connection. */
async function serveDropping(): Promise<{ port: number; close(): Promise<void> }> {
  const server = http2.createServer();
  server.on("stream", (stream) => stream.session?.destroy());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

export const client11: ClientStages = {
  url: (port) => `grpc://127.0.0.1:${port}/calc.Calculator`,
  stages: [
    {
      name: "calls Add(1, 2) and Divide(1, 0), prints 3 and the error status, and exits",
      serve: () => serve(undefined, { port: 0, host: "127.0.0.1" }),
      check: (run) => expectAddPrinted(run, "from the reference gRPC server"),
    },
    {
      name: "reports a connection the server drops, instead of waiting forever",
      serve: serveDropping,
      check: (run) => expectGaveUp(run),
    },
  ],
};
