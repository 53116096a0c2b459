import net from "node:net";
import { connect } from "../../../solutions/03-raw-tcp/client.js";
import { Registry } from "../../../solutions/02-call-id-and-serialization/registry.js";
import {
  decodeReply,
  encodeCall,
} from "../../../solutions/02-call-id-and-serialization/messages.js";
import { encodeFrame, FrameDecoder } from "../../../solutions/03-raw-tcp/framing.js";
import { calculator } from "../../../shared/calculator.js";

/**
 * What `npm run tester 3 -- --client` runs in the course's own tests: lesson 3's client calls
 * add(1, 2) and divide(1, 0) at SERVER_URL and prints each outcome. MUTANT=first-reply-wins
 * is a client that takes the first reply it reads as the answer, whatever its request id.
 */
const url = new URL(process.env.SERVER_URL!);

async function main() {
  if (process.env.MUTANT === "first-reply-wins") {
    const registry = Registry.fromService(calculator);
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    const decoder = new FrameDecoder();
    const replies: Uint8Array[] = [];
    let wake = () => {};
    socket.on("data", (chunk: Buffer) => {
      replies.push(...decoder.push(chunk).map((f) => f.body));
      wake();
    });
    for (const [method, args] of [
      ["add", [1, 2]],
      ["divide", [1, 0]],
    ] as const) {
      socket.write(
        encodeFrame(1, encodeCall({ callId: registry.byName(method).id, args: [...args] })),
      );
      while (replies.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const reply = decodeReply(replies.shift()!);
      console.log(reply.ok ? reply.result : `error: ${reply.error.message}`);
    }
    socket.destroy();
    return;
  }
  const client = await connect(url, { timeoutMs: 5000 });
  try {
    console.log(await client.call("add", [1, 2]));
    console.log(await client.call("divide", [1, 0]).catch((e: Error) => `error: ${e.message}`));
  } finally {
    await client.close();
  }
}

main().catch((error: unknown) => {
  console.error(`client: ${(error as Error).message}`);
  process.exitCode = 1;
});
