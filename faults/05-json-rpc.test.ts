import {
  sendRaw,
  expectCallerLetInPastSilentSockets,
  silentSockets,
  uploadChunked,
  uploadDeclared,
  type RawReply,
} from "./raw-http.js";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { JsonRpcClient } from "../solutions/05-json-rpc/client.js";
import { serveJsonRpc, type RunningJsonRpcServer } from "../solutions/05-json-rpc/server.js";
import { calculator } from "../shared/calculator.js";

// Lesson 5's reference server under attack. After every attack, a fresh client (its own
// connection) must still get 1 + 2 = 3. Traffic stays on 127.0.0.1; every loop is bounded.

const MAX_BODY = 256 * 1024; // room for a 200 kB batch
let server: RunningJsonRpcServer;

beforeAll(async () => {
  server = await serveJsonRpc(
    {
      ...calculator,
      fail() {
        throw new Error("it failed");
      },
    },
    { maxBodyBytes: MAX_BODY },
  );
});
afterAll(() => server?.close());

async function expectGoodCall(): Promise<void> {
  const client = new JsonRpcClient(server.url);
  try {
    await expect(client.call("add", [1, 2]), "a fresh client after the attack").resolves.toBe(3);
  } finally {
    client.close();
  }
}

function post(text: string): Promise<RawReply> {
  const body = Buffer.from(text, "utf8");
  return sendRaw(
    server.port,
    "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
      `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    body,
    1,
  );
}

/** The JSON body of a raw reply. */
function json(raw: RawReply): any {
  return JSON.parse(raw.text.slice(raw.text.indexOf("\r\n\r\n") + 4));
}

describe("lesson 5: JSON-RPC server faults", () => {
  it("answers invalid JSON with -32700", async () => {
    expect(json(await post('{"jsonrpc":"2.0","method":'))).toMatchObject({
      error: { code: -32700 },
      id: null,
    });
    await expectGoodCall();
  });

  it("answers params nested 5,000 deep with -32602 and says why", async () => {
    const deep = "[".repeat(5000) + "]".repeat(5000);
    const reply = json(await post(`{"jsonrpc":"2.0","method":"add","params":[${deep},1],"id":1}`));
    expect(reply.error.code, "the params are an array: the error is about their depth").toBe(
      -32602,
    );
    expect(reply.error.data.detail).toMatch(/nest deeper than \d+ levels/);
    await expectGoodCall();
  });

  it("refuses a batch of 100,000 invalid entries with one short error", async () => {
    const raw = await post(`[${Array.from({ length: 100_000 }, () => "1").join(",")}]`);
    const reply = json(raw);
    expect(Array.isArray(reply), "one error for the whole batch, not 100,000").toBe(false);
    expect(reply).toMatchObject({ error: { code: -32600 }, id: null });
    expect(reply.error.data.detail).toMatch(/at most \d+ entries, got 100000/);
    expect(raw.text.length).toBeLessThan(1000);
    await expectGoodCall();
  });

  it("answers a declared 50 MB upload with 413, even to a client that sends it all first", async () => {
    const raw = await uploadDeclared(server.port, "/", "application/json", 50 * 1024 * 1024);
    expect(raw.error, "the client must be able to finish sending, then read the 413").toBe(
      undefined,
    );
    expect(raw.text).toMatch(/^HTTP\/1\.1 413 /);
    await expectGoodCall();
  });

  it("answers a chunked body over the limit with 413", async () => {
    const raw = await uploadChunked(server.port, "/", "application/json", 2 * MAX_BODY);
    expect(raw.text).toMatch(/^HTTP\/1\.1 413 /);
    await expectGoodCall();
  });

  it("keeps serving while bodies arrive half-sent and connections sit idle", async () => {
    const stalled = Array.from({ length: 50 }, (_, i) => {
      const socket = connect(server.port, "127.0.0.1");
      socket.on("error", () => {});
      if (i % 2 === 0) {
        // Half a body, then silence.
        socket.write(
          "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n" + '{"jsonrpc":"2.0",',
        );
      } // odd ones: connected, and nothing at all
      return socket;
    });
    try {
      await Promise.all(stalled.map((s) => new Promise((resolve) => s.once("connect", resolve))));
      await expectGoodCall();
    } finally {
      for (const socket of stalled) socket.destroy();
    }
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "power"])(
    "answers the method %s with -32601",
    async (method) => {
      const reply = json(await post(JSON.stringify({ jsonrpc: "2.0", method, id: 1 })));
      expect(reply).toMatchObject({ error: { code: -32601 }, id: 1 });
      await expectGoodCall();
    },
  );

  it("sends no stack trace and no file path with a method's error", async () => {
    const raw = await post('{"jsonrpc":"2.0","method":"fail","id":1}');
    expect(json(raw)).toMatchObject({ error: { code: -32000, message: "it failed" } });
    expect(raw.text).not.toMatch(/\bat |\/[\w-]+\.[jt]s/);
    await expectGoodCall();
  });

  it("lets a caller in at maxConnections by closing the oldest socket that never sent a byte", async () => {
    const own = await serveJsonRpc(calculator, { maxConnections: 20 });
    await expectCallerLetInPastSilentSockets(own, async () => {
      const client = new JsonRpcClient(own.url);
      try {
        return await client.call("add", [1, 2]);
      } finally {
        client.close();
      }
    });
  });

  it("closes a socket that never sends a byte after idleTimeoutMs", async () => {
    const own = await serveJsonRpc(calculator, { idleTimeoutMs: 200 });
    const silent = await silentSockets(own.port, 5);
    await silent.allClosed();
    await own.close();
  });
});
