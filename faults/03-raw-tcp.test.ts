import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { calculator } from "../shared/calculator.js";
import { connect } from "../solutions/03-raw-tcp/client.js";
import { HEADER_BYTES } from "../solutions/03-raw-tcp/framing.js";
import { serve, type ServeOptions } from "../solutions/03-raw-tcp/server.js";

/**
 * Lesson 3's server against bad bytes, idle and half-sent connections, and many of them at
 * once. After each attack, a fresh client's good call must succeed.
 */
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function server(options: ServeOptions = {}) {
  const log: string[] = [];
  const running = await serve(calculator, { log: (line) => log.push(line), ...options });
  closers.push(() => running.close({ graceMs: 100 }));
  return { running, log };
}

async function goodCall(port: number): Promise<void> {
  const client = await connect({ host: "127.0.0.1", port });
  try {
    expect(await client.call("add", [1, 2], { timeoutMs: 5_000 })).toBe(3);
  } finally {
    await client.close();
  }
}

async function rawSocket(port: number): Promise<net.Socket> {
  const socket = net.connect({ host: "127.0.0.1", port });
  socket.on("error", () => {});
  closers.push(async () => void socket.destroy());
  await new Promise((resolve) => socket.once("connect", resolve));
  return socket;
}

const closedBy = (socket: net.Socket) => new Promise((resolve) => socket.once("close", resolve));

function header(length: number, requestId = 1): Buffer {
  const bytes = Buffer.alloc(HEADER_BYTES);
  bytes.writeUInt32BE(length, 0);
  bytes.writeUInt32BE(requestId, 4);
  return bytes;
}

describe("bad bytes", () => {
  const ATTACKS: [string, Buffer][] = [
    ["garbage", Buffer.from("\x00\x00\x00\x05\x00\x00\x00\x01garbage that is not a call")],
    ["a header announcing 4 GiB", header(0xffff_ffff)],
    ["an HTTP request", Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n")],
    ["a TLS hello", Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc])],
  ];
  it.each(ATTACKS)("closes the connection of %s and serves the next client", async (_n, bytes) => {
    const { running } = await server();
    const socket = await rawSocket(running.port);
    const closed = closedBy(socket);
    socket.write(bytes);
    await closed;
    await goodCall(running.port);
  });
});

describe("idle and half-sent connections", () => {
  it("closes a connection that stays idle, and serves the next client", async () => {
    const { running, log } = await server({ idleTimeoutMs: 200 });
    const socket = await rawSocket(running.port);
    await closedBy(socket);
    expect(log.join("\n")).toMatch(/idle for 200 ms/);
    await goodCall(running.port);
  });

  it("cuts a connection that stops in the middle of a frame", async () => {
    const { running, log } = await server({ idleTimeoutMs: 200 });
    const socket = await rawSocket(running.port);
    socket.write(Buffer.concat([header(1000), Buffer.alloc(10)])); // and then nothing
    await closedBy(socket);
    expect(log.join("\n")).toMatch(/half-sent/);
    await goodCall(running.port);
  });

  it("holds no more unfinished frames than its budget, across all connections", async () => {
    // Each connection sends 600 KB of a 1 MB frame; the budget is 1 MB in all.
    const { running, log } = await server({ maxBufferedBytes: 1024 * 1024 });
    const sockets = await Promise.all([1, 2, 3].map(() => rawSocket(running.port)));
    const closed = sockets.map(closedBy);
    for (const socket of sockets)
      socket.write(Buffer.concat([header(1024 * 1024), Buffer.alloc(600 * 1024)]));
    await Promise.race(closed);
    expect(log.join("\n")).toMatch(/too many unfinished frames/);
    await goodCall(running.port);
  });

  it("serves a good client beside a hundred idle connections", async () => {
    const { running } = await server();
    await Promise.all(Array.from({ length: 100 }, () => rawSocket(running.port)));
    await goodCall(running.port);
  });
});
