import net from "node:net";
import { ServerStub } from "../../../solutions/02-call-id-and-serialization/server-stub.js";
import { Registry } from "../../../solutions/02-call-id-and-serialization/registry.js";
import { encodeFrame, FrameDecoder } from "../../../solutions/03-raw-tcp/framing.js";
import { calculator } from "../../../shared/calculator.js";

/**
 * A lesson 3 server on $PORT with one deliberate fault, chosen by $MUTANT, to prove that the
 * tester fails it at the stage that names the fault:
 *   reply-id-zero       replies carry request id 0, not the call's
 *   first-frame-only    reads the first frame of each chunk and drops the rest: no pipelining
 *   crash-on-bad-frame  exits on a frame over the limit instead of closing that connection
 *   (none)              the correct server
 */
const mutant = process.env.MUTANT ?? "";
const stub = new ServerStub(Registry.fromService(calculator));

const server = net.createServer({ noDelay: true }, (socket) => {
  const decoder = new FrameDecoder();
  socket.on("error", () => {});
  socket.on("data", async (chunk: Buffer) => {
    let frames;
    try {
      frames = decoder.push(chunk);
    } catch {
      if (mutant === "crash-on-bad-frame") process.exit(1);
      socket.destroy();
      return;
    }
    if (mutant === "first-frame-only") frames = frames.slice(0, 1);
    for (const frame of frames) {
      const reply = await stub.handle(frame.body).catch(() => undefined);
      if (!reply) return void socket.destroy();
      socket.write(encodeFrame(mutant === "reply-id-zero" ? 0 : frame.requestId, reply));
    }
  });
});
server.listen(Number(process.env.PORT), "127.0.0.1");
