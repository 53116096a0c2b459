import {
  sendRaw,
  expectCallerLetInPastSilentSockets,
  silentSockets,
  uploadChunked,
  uploadDeclared,
} from "./raw-http.js";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { HttpRpcClient } from "../solutions/04-http/client.js";
import { createHttpRpcServer } from "../solutions/04-http/server.js";
import { calculator } from "../shared/calculator.js";
import { listenHttp, type RunningHttpServer } from "../shared/http-serve.js";

// Lesson 4's reference server under attack. After every attack, a fresh client (its own
// connection) must still get 1 + 2 = 3. Traffic stays on 127.0.0.1; every loop is bounded.

const MAX_BODY = 64 * 1024;
let server: RunningHttpServer;
const logged: string[] = [];

beforeAll(async () => {
  server = await listenHttp(
    createHttpRpcServer(calculator, {
      maxBodyBytes: MAX_BODY,
      logError: (error) => logged.push(error.message),
    }),
  );
});
afterAll(() => server?.close());

async function expectGoodCall(): Promise<void> {
  const client = new HttpRpcClient(server.url);
  try {
    await expect(client.call("add", [1, 2]), "a fresh client after the attack").resolves.toBe(3);
  } finally {
    client.close();
  }
}

const post = (body: string, extra = "") =>
  `POST /rpc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
  `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${extra}\r\n${body}`;

describe("lesson 4: HTTP server faults", () => {
  it("answers invalid JSON and garbage with 400", async () => {
    expect((await sendRaw(server.port, post("{not json"))).text).toMatch(/^HTTP\/1\.1 400/);
    expect((await sendRaw(server.port, "\x00\x01garbage\r\n\r\n")).text).toMatch(/^HTTP\/1\.1 400/);
    await expectGoodCall();
  });

  it("answers a valid call whose id is nested 5,000 deep with 400, not 500", async () => {
    const id = "[".repeat(5000) + "]".repeat(5000);
    const { text } = await sendRaw(server.port, post(`{"method":"add","params":[1,2],"id":${id}}`));
    expect(text).toMatch(/^HTTP\/1\.1 400/);
    expect(logged, "no internal error").toEqual([]);
    await expectGoodCall();
  });

  it("answers a declared 50 MB upload with 413, even to a client that sends it all first", async () => {
    const { text, error } = await uploadDeclared(
      server.port,
      "/rpc",
      "application/json",
      50 * 1024 * 1024,
    );
    expect(error, "the connection must not be closed under the sender").toBeUndefined();
    expect(text).toMatch(/^HTTP\/1\.1 413/);
    await expectGoodCall();
  });

  it("answers a chunked body over the limit with 413", async () => {
    const { text } = await uploadChunked(server.port, "/rpc", "application/json", 2 * MAX_BODY);
    expect(text).toMatch(/^HTTP\/1\.1 413/);
    await expectGoodCall();
  });

  it("keeps serving while requests arrive half-sent and connections sit idle", async () => {
    const sockets = Array.from({ length: 50 }, (_, i) => {
      const socket = connect(server.port, "127.0.0.1");
      socket.on("error", () => {});
      if (i % 2)
        socket.write("POST /rpc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{");
      return socket;
    });
    try {
      await expectGoodCall();
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });

  it("sends no stack trace and no file path with an error", async () => {
    const { text } = await sendRaw(server.port, post(`{"method":"add","params":["1",2],"id":1}`));
    expect(text).not.toMatch(/\n\s+at |\.ts:\d+|\/work\//);
    await expectGoodCall();
  });

  it("lets a caller in at maxConnections by closing the oldest socket that never sent a byte", async () => {
    const own = await listenHttp(createHttpRpcServer(calculator, { maxConnections: 20 }));
    await expectCallerLetInPastSilentSockets(own, async () => {
      const client = new HttpRpcClient(own.url);
      try {
        return await client.call("add", [1, 2]);
      } finally {
        client.close();
      }
    });
  });

  it("closes a socket that never sends a byte after idleTimeoutMs", async () => {
    const own = await listenHttp(createHttpRpcServer(calculator, { idleTimeoutMs: 200 }));
    const silent = await silentSockets(own.port, 5);
    await silent.allClosed();
    await own.close();
  });
});
