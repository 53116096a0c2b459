import net from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { connect } from "../solutions/03-raw-tcp/client.js";
import { encodeFrame, HEADER_BYTES } from "../solutions/03-raw-tcp/framing.js";
import {
  createServer,
  serve,
  type RunningTcpServer,
  type ServerOptions,
} from "../solutions/03-raw-tcp/server.js";
import { listenOnFreePort } from "../shared/testing/servers.js";
import { calculator } from "../shared/calculator.js";

// Lesson 3's reference server under attack. After every attack, a fresh client (its own
// connection) must still get 1 + 2 = 3. Traffic stays on 127.0.0.1; every loop is bounded.
// The limits are set low so that each one is reached quickly; SECURITY.md lists the defaults.

const LIMITS = {
  maxFrameBytes: 64 * 1024,
  idleTimeoutMs: 200,
  frameTimeoutMs: 200,
  maxBufferedBytes: 256 * 1024,
  maxConnections: 100,
};
let server: RunningTcpServer;
const log: string[] = [];

beforeAll(async () => {
  server = await serve(calculator, { ...LIMITS, log: (line) => log.push(line) });
});
afterAll(() => server?.close({ graceMs: 0 }));

async function expectGoodCall(): Promise<void> {
  const client = await connect(server.url);
  try {
    await expect(client.call("add", [1, 2]), "a fresh client after the attack").resolves.toBe(3);
  } finally {
    await client.close();
  }
}

/** A bare socket to the server; resolves `closed` when the server hangs up. */
async function rawSocket(
  port = server.port,
): Promise<{ socket: net.Socket; closed: Promise<void> }> {
  const socket = net.connect(port, "127.0.0.1");
  socket.on("error", () => {}); // a reset is expected in some attacks; "close" follows
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return { socket, closed };
}

const header = (length: number, requestId = 1) => {
  const bytes = Buffer.alloc(HEADER_BYTES);
  bytes.writeUInt32BE(length, 0);
  bytes.writeUInt32BE(requestId, 4);
  return bytes;
};

describe("lesson 3: raw TCP server faults", () => {
  it("closes a connection that sends garbage", async () => {
    const { socket, closed } = await rawSocket();
    socket.write(Buffer.from("\x00\x00\x00\x04\x00\x00\x00\x09junk"));
    await closed;
    await expectGoodCall();
  });

  it("closes a connection that speaks HTTP", async () => {
    const { socket, closed } = await rawSocket();
    socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    await closed;
    await expectGoodCall();
  });

  it("refuses an oversized frame and a 4 GiB length prefix from the header alone", async () => {
    for (const length of [LIMITS.maxFrameBytes + 1, 0xffff_ffff]) {
      const { socket, closed } = await rawSocket();
      socket.write(header(length));
      await closed;
    }
    expect(log.join("\n")).toMatch(/too_large/);
    await expectGoodCall();
  });

  it("closes a connection whose frame stays half-sent", async () => {
    const { socket, closed } = await rawSocket();
    const frame = encodeFrame(1, new Uint8Array(1000));
    socket.write(frame.subarray(0, 500));
    let sent = 500;
    // One byte every 20 ms: never idle, never finished. Bounded by the frame's length.
    const dribble = setInterval(() => {
      if (sent < frame.length - 1) socket.write(frame.subarray(sent, ++sent));
    }, 20);
    await closed;
    clearInterval(dribble);
    expect(log.join("\n")).toMatch(/not complete within/);
    await expectGoodCall();
  });

  it("closes idle sockets", async () => {
    const sockets = await Promise.all(Array.from({ length: 20 }, () => rawSocket()));
    await Promise.all(sockets.map(({ closed }) => closed));
    await expectGoodCall();
  });

  it("keeps memory bounded when many connections hold unfinished frames", async () => {
    // 20 connections × 60 kB would be 1.2 MB; the budget is 256 kB.
    const sockets = await Promise.all(Array.from({ length: 20 }, () => rawSocket()));
    for (const { socket } of sockets) {
      socket.write(header(LIMITS.maxFrameBytes - 1));
      socket.write(Buffer.alloc(60_000));
    }
    await Promise.all(sockets.map(({ closed }) => closed));
    expect(log.join("\n")).toMatch(/busy/);
    await expectGoodCall();
  });

  it("refuses connections over maxConnections and serves again once they go", async () => {
    const sockets = await Promise.all(
      Array.from({ length: LIMITS.maxConnections + 10 }, () => rawSocket()),
    );
    await Promise.all(sockets.map(({ closed }) => closed)); // refused, or closed when idle
    await expectGoodCall();
  });

  it("answers a call after a client left in the middle of a frame", async () => {
    const { socket, closed } = await rawSocket();
    socket.end(header(100));
    await closed;
    expect(log.join("\n")).toMatch(/middle of a frame/);
    await expectGoodCall();
  });
});

/** A server of its own for one test, with long timers: only the limit under test acts. */
async function ownServer(options: ServerOptions) {
  const own = createServer(calculator, {
    idleTimeoutMs: 60_000,
    frameTimeoutMs: 60_000,
    log: () => {},
    ...options,
  });
  const serverSide: net.Socket[] = []; // the server's end of each connection, in order
  own.on("connection", (socket: net.Socket) => serverSide.push(socket));
  const { port } = await listenOnFreePort(own);
  const opened: { socket: net.Socket; closed: Promise<void> }[] = [];
  return {
    url: `tcp://127.0.0.1:${port}`,
    serverSide,
    /** A bare socket, destroyed when the test ends. */
    raw: async () => {
      const peer = await rawSocket(port);
      opened.push(peer);
      return peer;
    },
    close: async () => {
      for (const { socket } of opened) socket.destroy();
      for (const socket of serverSide) socket.destroy();
      await new Promise((resolve) => own.close(resolve));
    },
  };
}

describe("lesson 3: idle sockets and large unfinished frames cannot lock callers out", () => {
  it("lets a caller in at maxConnections by closing the oldest socket that never sent a byte", async () => {
    const own = await ownServer({ maxConnections: 20 });
    try {
      const talkers = [];
      for (let i = 0; i < 10; i++) {
        const client = await connect(own.url);
        expect(await client.call("add", [i, 1])).toBe(i + 1); // spoke, now idle
        talkers.push(client);
      }
      const silent = [];
      for (let i = 0; i < 15; i++) silent.push(await own.raw()); // 5 over the cap
      let closed = 0;
      for (const { closed: done } of silent) void done.then(() => (closed += 1));
      await vi.waitFor(() => expect(closed).toBe(5));
      await Promise.all(silent.slice(0, 5).map(({ closed: done }) => done)); // the oldest went
      // At the cap, with every socket idle: a new caller still gets its answer.
      const caller = await connect(own.url);
      await expect(caller.call("add", [1, 2])).resolves.toBe(3);
      await caller.close();
      // Silent sockets went first: every client that spoke is still connected.
      await vi.waitFor(() => expect(closed).toBe(6));
      for (const client of talkers) await expect(client.call("add", [1, 1])).resolves.toBe(2);
      await Promise.all(talkers.map((client) => client.close()));
    } finally {
      await own.close();
    }
  });

  it("shares the frame budget: connections that fill it go, honest calls of 64 KiB and 1 MiB pass", async () => {
    // 4 connections each hold a frame 100 bytes short of the 4 MiB limit: the 16 MiB budget is
    // all but full. The one holding the most goes when an honest call needs room.
    const maxFrameBytes = 4 * 1024 * 1024;
    const own = await ownServer({ maxFrameBytes, maxBufferedBytes: 4 * maxFrameBytes });
    try {
      for (let i = 0; i < 4; i++) {
        const { socket } = await own.raw();
        socket.write(header(maxFrameBytes - 100));
        socket.write(Buffer.alloc(maxFrameBytes - 200));
      }
      // Wait until the server has read all of it: the budget is full before the caller comes.
      const held = HEADER_BYTES + maxFrameBytes - 200;
      await vi.waitFor(() =>
        expect(own.serverSide.map((s) => s.bytesRead)).toEqual([held, held, held, held]),
      );
      const caller = await connect(own.url);
      try {
        await expect(caller.call("hello", ["a".repeat(64 * 1024)])).resolves.toMatch(/a{65536}/);
        await expect(caller.call("hello", ["b".repeat(1 << 20)])).resolves.toMatch(/b{1048576}/);
      } finally {
        await caller.close();
      }
    } finally {
      await own.close();
    }
  });
});
