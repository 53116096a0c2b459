import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { calculator } from "../shared/calculator.js";
import { listenOnFreePort, type RunningServer } from "../shared/testing/servers.js";
import { HttpRpcClient } from "../solutions/04-http/client.js";
import { createHttpRpcServer } from "../solutions/04-http/server.js";

/**
 * Lesson 4's server against bad requests, bodies too large and clients that send everything
 * before they read; after each, a fresh client's good call must succeed.
 */
const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function start(maxBodyBytes = 64 * 1024): Promise<number> {
  const server = createHttpRpcServer(calculator, { maxBodyBytes, logError: () => {} });
  const listening = await listenOnFreePort(server);
  running.push(listening);
  return listening.port;
}

async function goodCall(port: number): Promise<void> {
  const client = new HttpRpcClient(`http://127.0.0.1:${port}`);
  try {
    expect(await client.call("add", [1, 2])).toBe(3);
  } finally {
    client.close();
  }
}

/** A client in the manner of Python's urllib: the whole request out, then the reply in. */
async function sendAllThenRead(port: number, head: string, bodyBytes: number): Promise<string> {
  const socket = net.connect({ host: "127.0.0.1", port });
  let reply = "";
  socket.setEncoding("latin1").on("data", (text: string) => (reply += text));
  const errors: string[] = [];
  socket.on("error", (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message));
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(head);
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  for (let sent = 0; sent < bodyBytes; sent += chunk.length) {
    if (!socket.write(chunk)) await new Promise((resolve) => socket.once("drain", resolve));
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  socket.end();
  await new Promise((resolve) => socket.once("close", resolve));
  expect(errors, "the client's writes must not fail before it reads the answer").toEqual([]);
  return reply;
}

describe("bodies too large", () => {
  it("answers a declared 50 MB upload with 413, which the client reads: no EPIPE", async () => {
    const port = await start();
    const size = 50 * 1024 * 1024;
    const head =
      `POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${size}\r\nConnection: close\r\n\r\n`;
    const reply = await sendAllThenRead(port, head, size);
    expect(reply).toMatch(/^HTTP\/1\.1 413/);
    await goodCall(port);
  }, 60_000);
});

describe("bad requests", () => {
  const BODIES: [string, string][] = [
    ["invalid JSON", "{"],
    [
      "an id nested 5,000 deep",
      `{"method":"add","params":[1,2],"id":${"[".repeat(5000)}${"]".repeat(5000)}}`,
    ],
    [
      "params nested 5,000 deep",
      `{"method":"add","params":[${"[".repeat(5000)}${"]".repeat(5000)},1]}`,
    ],
    ["a prototype method", '{"method":"__proto__","params":[]}'],
    ["a method that is an object", '{"method":{"toString":1},"params":[]}'],
  ];
  it.each(BODIES)("answers %s with a 4xx, and serves the next client", async (_name, body) => {
    const port = await start(1024 * 1024);
    const response = await fetch(`http://127.0.0.1:${port}/rpc`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    await goodCall(port);
  });
});
