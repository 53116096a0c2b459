import { encodeReply } from "../../solutions/02-call-id-and-serialization/messages.js";
import net from "node:net";
import { Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import { ServerStub } from "../../solutions/02-call-id-and-serialization/server-stub.js";
import { encodeFrame, FrameDecoder } from "../../solutions/03-raw-tcp/framing.js";
import { calculator } from "../../shared/calculator.js";
import { expectAddPrinted, expectGaveUp } from "./client-mode.js";
import type { ClientStages } from "./stage.js";
import { sleep } from "./tcp-link.js";

type Twist = "plain" | "byte by byte" | "stray reply first" | "drop";

/** Lesson 3's server, as the tester plays it: the reference's stub behind a frame loop. */
function serveFrames(twist: Twist) {
  const stub = new ServerStub(Registry.fromService(calculator));
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    const decoder = new FrameDecoder();
    let sending = Promise.resolve();
    socket.on("data", (chunk: Buffer) => {
      let frames;
      try {
        frames = decoder.push(chunk);
      } catch {
        return void socket.destroy();
      }
      for (const frame of frames) {
        if (twist === "drop") return void socket.destroy();
        sending = sending.then(async () => {
          const reply = encodeFrame(frame.requestId, await stub.handle(frame.body));
          if (twist === "stray reply first") {
            // The answer to a call never made: a client that takes it prints 999, not 3.
            const stray = encodeReply({ ok: true, result: 999 });
            socket.write(encodeFrame((frame.requestId + 7919) >>> 0, stray));
          }
          if (twist !== "byte by byte") return void socket.write(reply);
          for (const byte of reply) {
            socket.write(Uint8Array.of(byte));
            await sleep(1);
          }
        });
      }
    });
  });
  return new Promise<{ port: number; close(): Promise<void> }>((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    ),
  );
}

export const client03: ClientStages = {
  url: (port) => `tcp://127.0.0.1:${port}`,
  stages: [
    {
      name: "calls add(1, 2) and divide(1, 0), prints 3 and the error, and exits",
      serve: () => serveFrames("plain"),
      check: (run) => expectAddPrinted(run, "from a plain server"),
    },
    {
      name: "reads replies that arrive one byte at a time",
      serve: () => serveFrames("byte by byte"),
      check: (run) => expectAddPrinted(run, "when each reply arrives a byte at a time"),
    },
    {
      name: "matches replies by request id: a reply to an id it never sent is not its answer",
      serve: () => serveFrames("stray reply first"),
      check: (run) => expectAddPrinted(run, "when a reply with another request id comes first"),
    },
    {
      name: "reports a connection the server drops, instead of waiting forever",
      serve: () => serveFrames("drop"),
      check: (run) => expectGaveUp(run),
    },
  ],
};
