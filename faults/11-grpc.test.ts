import http2 from "node:http2";
import net from "node:net";
import { PerformanceObserver, performance } from "node:perf_hooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { calculatorClient } from "../solutions/11-grpc/calculator-client.js";
import { GrpcClient } from "../solutions/11-grpc/client.js";
import { encodeGrpcMessage } from "../solutions/11-grpc/grpc-framing.js";
import { decodeMessage, Pair } from "../solutions/11-grpc/messages.js";
import {
  calculatorService,
  serve,
  type GrpcServer,
  type ServeOptions,
  type Service,
} from "../solutions/11-grpc/server.js";

// Each attack on lesson 11's server is followed by a good call from a fresh client.

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function start(options: ServeOptions = {}): Promise<GrpcServer> {
  const server = await serve(undefined, options);
  cleanups.push(() => server.close());
  return server;
}

async function goodCall(server: GrpcServer): Promise<void> {
  const client = await GrpcClient.connect(server.url);
  try {
    expect(await calculatorClient(client).add(20, 22)).toBe(42);
  } finally {
    await client.close();
  }
}

function attack(server: GrpcServer, headers: http2.OutgoingHttpHeaders, body: Buffer) {
  const session = http2.connect(`http://127.0.0.1:${server.port}`);
  session.on("error", () => {});
  const stream = session.request({
    ":method": "POST",
    ":path": "/calc.Calculator/Add",
    "content-type": "application/grpc",
    ...headers,
  });
  const status: Record<string, unknown> = {};
  stream.on("response", (h) => Object.assign(status, h));
  stream.on("trailers", (h) => Object.assign(status, h));
  stream.on("error", () => {});
  stream.resume();
  stream.end(body);
  return new Promise<Record<string, unknown>>((resolve) =>
    stream.on("close", () => session.close(() => resolve(status))),
  );
}

describe("lesson 11: gRPC server under attack", () => {
  it("a prefix announcing 4 GiB gets RESOURCE_EXHAUSTED", async () => {
    const server = await start();
    expect((await attack(server, {}, Buffer.from("00ffffffff", "hex")))["grpc-status"]).toBe("8");
    await goodCall(server);
  });

  it("a truncated message, a varint over 10 bytes, a wrong wire type get INTERNAL", async () => {
    const server = await start();
    const bodies = [
      Buffer.from("0000000010aabb", "hex"),
      encodeGrpcMessage(Buffer.from("08ffffffffffffffffffff01", "hex")),
      encodeGrpcMessage(Buffer.from("0801", "hex")),
    ];
    for (const body of bodies) expect((await attack(server, {}, body))["grpc-status"]).toBe("13");
    await goodCall(server);
  });

  it("a wrong content type gets 415", async () => {
    const server = await start();
    expect(
      (await attack(server, { "content-type": "text/plain" }, Buffer.alloc(0)))[":status"],
    ).toBe(415);
    await goodCall(server);
  });

  it("a flood of streams past maxConcurrentStreams is refused, the server keeps serving", async () => {
    const server = await start({ maxConcurrentStreams: 4 });
    const session = http2.connect(`http://127.0.0.1:${server.port}`);
    session.on("error", () => {});
    const streams = Array.from({ length: 50 }, () => {
      // Requests that never end: each holds a stream open.
      const stream = session.request({
        ":method": "POST",
        ":path": "/calc.Calculator/Sum",
        "content-type": "application/grpc",
      });
      stream.on("error", () => {});
      return stream;
    });
    await goodCall(server);
    for (const stream of streams) stream.close(http2.constants.NGHTTP2_CANCEL);
    await new Promise<void>((resolve) => session.close(() => resolve()));
  });

  it("resets streams whose messages stay half-sent: a time limit, and a budget per connection and per server", async () => {
    // 3 connections × 100 streams, each holding a message one byte short: 4.8 MB if nothing
    // stopped them, against budgets of 64 KiB per connection and 128 KiB for the server.
    const limits = {
      maxMessageBytes: 16 * 1024,
      maxConnectionBufferedBytes: 64 * 1024,
      maxBufferedBytes: 128 * 1024,
      messageTimeoutMs: 300,
    };
    const server = await start(limits);
    const almost = Buffer.alloc(limits.maxMessageBytes - 1);
    const prefix = Buffer.alloc(5);
    prefix.writeUInt32BE(limits.maxMessageBytes, 1);
    const { NGHTTP2_ENHANCE_YOUR_CALM, NGHTTP2_CANCEL } = http2.constants;
    const sessions = Array.from({ length: 3 }, () => {
      const session = http2.connect(`http://127.0.0.1:${server.port}`);
      session.on("error", () => {});
      return session;
    });
    // Why each stream ended: reset over its connection's budget (ENHANCE_YOUR_CALM), reset at
    // the time limit (CANCEL), or its whole connection closed over the server's budget (GOAWAY).
    const ends = await Promise.all(
      sessions.flatMap((session) => {
        let goaway: number | undefined;
        session.on("goaway", (code) => (goaway = code));
        return Array.from({ length: 100 }, () => {
          const stream = session.request({
            ":method": "POST",
            ":path": "/calc.Calculator/Sum",
            "content-type": "application/grpc",
          });
          stream.on("error", () => {});
          stream.resume();
          stream.write(Buffer.concat([prefix, almost])); // never ended, never complete
          return new Promise<string>((resolve) =>
            stream.once("close", () => {
              if (stream.rstCode === NGHTTP2_ENHANCE_YOUR_CALM) resolve("over budget");
              else if (stream.rstCode === NGHTTP2_CANCEL) resolve("too slow");
              else if (goaway === NGHTTP2_ENHANCE_YOUR_CALM) resolve("connection over budget");
              else resolve(`other (${stream.rstCode}, goaway ${goaway})`);
            }),
          );
        });
      }),
    );
    const tally: Record<string, number> = {};
    for (const end of ends) tally[end] = (tally[end] ?? 0) + 1;
    const other = Object.keys(tally).filter((end) => end.startsWith("other"));
    expect(other, "every stream is stopped by the server").toEqual([]);
    // A few messages fit in the budgets, until their time is up; the others went over a budget.
    expect(tally["too slow"], "the time limit").toBeGreaterThan(0);
    expect((tally["over budget"] ?? 0) + (tally["connection over budget"] ?? 0)).toBeGreaterThan(0);
    await Promise.all(
      sessions.map((s) => s.destroyed || new Promise<void>((resolve) => s.close(() => resolve()))),
    );
    await goodCall(server);
  });

  it("closes idle connections, a silent one too", async () => {
    const server = await start({ idleTimeoutMs: 200 });
    const silent = await Promise.all(Array.from({ length: 5 }, () => rawSocket(server)));
    const client = await GrpcClient.connect(server.url);
    expect(await calculatorClient(client).add(1, 2)).toBe(3);
    const clientClosed = new Promise((resolve) => client.session.once("close", resolve));
    await Promise.all([...silent.map(({ closed }) => closed), clientClosed]);
    await goodCall(server);
  });

  it("keeps at most maxConnections, and a new caller takes the place of an idle socket", async () => {
    const server = await start({ maxConnections: 10 });
    const silent = await Promise.all(Array.from({ length: 30 }, () => rawSocket(server)));
    let closed = 0;
    for (const { closed: done } of silent) void done.then(() => (closed += 1));
    await vi.waitFor(() => expect(closed, "the oldest silent sockets go").toBe(20), {
      timeout: 5_000,
    });
    // The server is at its cap with 10 silent sockets: a caller still gets in.
    await goodCall(server);
    // And with 10 callers that spoke and now idle, one more gets in too.
    const idle: GrpcClient[] = [];
    for (let i = 0; i < 10; i++) {
      const client = await GrpcClient.connect(server.url);
      await calculatorClient(client).add(1, 1);
      idle.push(client);
    }
    await goodCall(server);
    for (const { socket } of silent) socket.destroy();
    await Promise.all(idle.map((client) => client.close()));
  });

  it("skips 4 MiB of unknown fields in one pass, allocating nothing for them", async () => {
    // Field 100 (key a0 06), a one-byte varint, 1.4 million times: fields this reader never asked for.
    const count = Math.floor((4 * 1024 * 1024 - 1) / 3);
    const unknown = Buffer.alloc(count * 3);
    for (let i = 0; i < count; i++) unknown.set([0xa0, 0x06, 0x01], i * 3);
    const gcs: { startTime: number }[] = [];
    const observer = new PerformanceObserver((list) => gcs.push(...list.getEntries()));
    observer.observe({ entryTypes: ["gc"] });
    try {
      const from = performance.now();
      expect(decodeMessage(Pair, unknown)).toEqual({ a: 0, b: 0 });
      const to = performance.now();
      // GC entries are reported a little later: wait until the ones started during decoding are in.
      await new Promise((resolve) => setImmediate(resolve));
      gcs.push(...observer.takeRecords());
      const during = gcs.filter((entry) => entry.startTime >= from && entry.startTime <= to);
      // Building a bigint or an object per field would fill the young generation dozens of times.
      expect(during.length, "garbage collections while decoding").toBeLessThanOrEqual(2);
    } finally {
      observer.disconnect();
    }
    const server = await start();
    const reply = await attack(server, {}, encodeGrpcMessage(unknown));
    expect(reply["grpc-status"]).toBe("0");
    await goodCall(server);
  });

  it("honours a deadline longer than a timer holds (25 days, and grpc-timeout 99999999H)", async () => {
    // An Add that answers on a later turn of the event loop: a deadline that fired at once
    // (a timer given more than 2^31 - 1 ms fires after 1 ms) would beat it.
    const later: Service = {
      ...calculatorService,
      "/calc.Calculator/Add": {
        ...calculatorService["/calc.Calculator/Add"]!,
        kind: "unary",
        handle: async ({ a, b }: { a: number; b: number }) => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return { value: a + b };
        },
      },
    };
    const server = await serve(later);
    cleanups.push(() => server.close());
    const client = await GrpcClient.connect(server.url);
    try {
      const days25 = 25 * 24 * 3600 * 1000;
      expect(await calculatorClient(client).add(20, 22, { timeoutMs: days25 })).toBe(42);
    } finally {
      await client.close();
    }
    const pair = encodeGrpcMessage(Buffer.from("09000000000000f03f", "hex")); // {a: 1}
    for (const timeout of ["600H", "99999999H", "99999999S"]) {
      const reply = await attack(server, { "grpc-timeout": timeout }, pair);
      expect(reply["grpc-status"], `grpc-timeout ${timeout}`).toBe("0");
    }
  });
});

/** A TCP connection that never sends a byte; `closed` resolves when the server hangs up. */
async function rawSocket(server: GrpcServer) {
  const socket = net.connect(server.port, "127.0.0.1");
  socket.on("error", () => {});
  socket.resume(); // the server's SETTINGS frame: read and dropped
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return { socket, closed };
}
