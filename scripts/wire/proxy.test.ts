import { randomBytes } from "node:crypto";
import net from "node:net";
import { expect, it } from "vitest";
import { listenOnFreePort } from "../../shared/testing/servers.js";
import { framesDecoder } from "./frames.js";
import { startProxy, type Passed } from "./proxy.js";

/** Sends `bytes` through the proxy in small pieces and reads back as many bytes. */
async function echoThrough(port: number, bytes: Buffer): Promise<Buffer> {
  const socket = net.connect({ host: "127.0.0.1", port });
  const chunks: Buffer[] = [];
  let got = 0;
  const done = new Promise<void>((resolve, reject) => {
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      got += chunk.length;
      if (got >= bytes.length) resolve();
    });
    socket.on("error", reject);
  });
  for (let at = 0; at < bytes.length; at += 997) socket.write(bytes.subarray(at, at + 997));
  await done;
  socket.end();
  return Buffer.concat(chunks);
}

it("passes bytes through unchanged and in order, on many connections at once, whatever the decoder makes of them", async () => {
  const echo = await listenOnFreePort(net.createServer((socket) => socket.pipe(socket)));
  const passed: Passed[] = [];
  const proxy = await startProxy({
    upstream: { host: "127.0.0.1", port: echo.port },
    decoder: framesDecoder, // random bytes are no frames: shown as raw hex, never a crash
    onMessage: (m) => passed.push(m),
  });
  try {
    const inputs = Array.from({ length: 20 }, () => randomBytes(50_000));
    const outputs = await Promise.all(inputs.map((bytes) => echoThrough(proxy.port, bytes)));
    outputs.forEach((output, i) => expect(output.equals(inputs[i]!)).toBe(true));
  } finally {
    await proxy.drain();
    await echo.close();
  }
  // Every connection's bytes were shown, as raw hex once they made no sense as frames.
  expect(new Set(passed.map((m) => m.connection)).size).toBe(20);
});
