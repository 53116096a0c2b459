import net from "node:net";
import { describe, expect, it } from "vitest";
import { listenOnFreePort } from "../shared/testing/servers.js";
import { httpDecoder } from "../scripts/wire/http.js";
import { startProxy, type Passed } from "../scripts/wire/proxy.js";
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024; // the decoders' limit (scripts/wire/raw.ts)
import { uploadChunked, uploadDeclared } from "./raw-http.js";

// `npm run wire`'s proxy in front of a server that reads and drops everything: an upload over
// the decoder's limit is shown as raw bytes from there on, never held whole in memory.

async function throughProxy(upload: (port: number) => Promise<unknown>): Promise<Passed[]> {
  const sink = await listenOnFreePort(
    net.createServer((socket) => {
      socket.resume();
      socket.on("end", () => socket.end());
      socket.on("error", () => {});
    }),
  );
  const passed: Passed[] = [];
  const proxy = await startProxy({
    upstream: { host: "127.0.0.1", port: sink.port },
    decoder: httpDecoder,
    onMessage: (message) => passed.push(message),
  });
  try {
    await upload(proxy.port);
  } finally {
    await proxy.drain();
    await sink.close();
  }
  return passed;
}

const overLimit = /not decoded: over 16777216 bytes in one message/;

describe("npm run wire: HTTP bodies over the decoder's limit", () => {
  it("gives up on a chunked body once it passes the limit, before the body ends", async () => {
    const passed = await throughProxy((port) =>
      uploadChunked(port, "/rpc", "application/json", MAX_MESSAGE_BYTES + 1024 * 1024),
    );
    expect(passed.some((m) => overLimit.test(m.title))).toBe(true);
  });

  it("gives up on a body declared larger than the limit", async () => {
    const passed = await throughProxy((port) =>
      uploadDeclared(port, "/rpc", "application/json", MAX_MESSAGE_BYTES + 1024 * 1024),
    );
    expect(passed.some((m) => overLimit.test(m.title))).toBe(true);
  });
});
