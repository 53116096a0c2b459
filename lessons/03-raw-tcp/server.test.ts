import net from "node:net";
import { describe, expect, it } from "vitest";
import { calculator } from "../../shared/calculator.js";
import { encodeFrame, HEADER_BYTES } from "./framing.js";
import { encodeCall } from "../../solutions/02-call-id-and-serialization/messages.js";
import { Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import { serve } from "./server.js";
import { gate, later, RawPeer, startServer } from "./testing.js";

// The server is tested with RawPeer, a client made of a bare socket, so each test sends
// exactly the bytes it means to: good frames, broken frames, garbage.

const header = (length: number, requestId = 1) => {
  const bytes = Buffer.alloc(HEADER_BYTES);
  bytes.writeUInt32BE(length, 0);
  bytes.writeUInt32BE(requestId, 4);
  return bytes;
};

describe("task 4: a server for many clients", () => {
  it("answers a call under the request ID it came with", async () => {
    const { port } = await startServer(calculator);
    const peer = await RawPeer.open(port, calculator);
    await expect(peer.call(77, "add", [1, 2])).resolves.toEqual({ ok: true, result: 3 });
    await expect(peer.call(78, "hello", ["Ada"])).resolves.toEqual({
      ok: true,
      result: "Hello, Ada!",
    });
  });

  it("carries errors back and keeps the connection open", async () => {
    const { port } = await startServer(calculator);
    const peer = await RawPeer.open(port, calculator);
    await expect(peer.call(1, "divide", [1, 0])).resolves.toMatchObject({
      ok: false,
      error: { code: "remote_error", name: "DivisionByZeroError" },
    });
    await expect(
      peer.call(2, 999, []),
      "an unknown call ID is the caller's mistake",
    ).resolves.toMatchObject({
      ok: false,
      error: { code: "unknown_method" },
    });
    await expect(peer.call(3, "add", [2, 2]), "the same connection still works").resolves.toEqual({
      ok: true,
      result: 4,
    });
  });

  it("answers pipelined calls out of order, each under its own request ID", async () => {
    const slow = gate();
    const service = { slow: () => slow.wait.then(() => "slow done"), add: calculator.add };
    const { port } = await startServer(service);
    const peer = await RawPeer.open(port, service);
    const order: string[] = [];
    const first = peer.call(1, "slow", []).then((r) => (order.push("slow"), r));
    const second = peer.call(2, "add", [1, 1]).then((r) => (order.push("add"), r));
    await expect(second, "a fast call must not wait behind a slow one").resolves.toEqual({
      ok: true,
      result: 2,
    });
    slow.open();
    await expect(first).resolves.toEqual({ ok: true, result: "slow done" });
    expect(order).toEqual(["add", "slow"]);
  });

  it("serves many clients at once, a slow call blocking none of the others", async () => {
    const slow = gate();
    const service = { slow: () => slow.wait.then(() => "slow done"), add: calculator.add };
    const { port } = await startServer(service);
    const stuck = await RawPeer.open(port, service);
    const waiting = stuck.call(1, "slow", []);
    const peers = await Promise.all(Array.from({ length: 20 }, () => RawPeer.open(port, service)));
    const results = await Promise.all(peers.map((peer, i) => peer.call(i, "add", [i, 1000])));
    expect(results.map((r) => (r.ok ? r.result : r.error))).toEqual(peers.map((_, i) => i + 1000));
    slow.open();
    await expect(waiting).resolves.toEqual({ ok: true, result: "slow done" });
  });

  it("still replies to a client that sent its calls and ended its side", async () => {
    const { port } = await startServer(calculator);
    const peer = await RawPeer.open(port, calculator);
    const reply = peer.call(5, "multiply", [6, 7]);
    peer.socket.end();
    await expect(reply).resolves.toEqual({ ok: true, result: 42 });
    await peer.closed;
  });

  it("closes the connection of a frame over the limit, and logs why", async () => {
    const { port, log } = await startServer(calculator, { maxFrameBytes: 1024 });
    const peer = await RawPeer.open(port);
    peer.send(header(1025));
    await peer.closed; // the server must close it; it must not wait for 1025 bytes
    expect(log.join("\n"), "log a line naming the problem").toMatch(/too_large/);
  });

  it("refuses a frame over 16 MiB by default, from its header alone", async () => {
    const { port, log } = await startServer(calculator);
    const peer = await RawPeer.open(port);
    peer.send(header(16 * 1024 * 1024 + 1));
    await peer.closed;
    expect(log.join("\n")).toMatch(/too_large/);
  });

  it("closes the connection of a frame that does not decode as a call", async () => {
    const { port, log } = await startServer(calculator);
    const peer = await RawPeer.open(port);
    peer.send(encodeFrame(1, Uint8Array.of(0xde, 0xad, 0xbe, 0xef)));
    await peer.closed;
    expect(log.join("\n")).toMatch(/bad_message/);
  });

  it("closes the connection of a client that speaks another protocol", async () => {
    const { port, log } = await startServer(calculator);
    const http = await RawPeer.open(port);
    http.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    await http.closed;
    const noise = await RawPeer.open(port);
    noise.send(Buffer.from("00000003000000010102ff", "hex")); // a small frame of nonsense
    await noise.closed;
    expect(log, "one line per closed connection").toHaveLength(2);
  });

  it("logs a client that leaves in the middle of a frame", async () => {
    const { port, log } = await startServer(calculator);
    const peer = await RawPeer.open(port);
    peer.send(header(100));
    peer.socket.end();
    await peer.closed;
    expect(log.join("\n")).toMatch(/middle of a frame/);
  });

  it("keeps answering a good client after others sent garbage and an oversized frame", async () => {
    const slow = gate();
    const service = { ...calculator, slow: () => slow.wait.then(() => "done") };
    const { port, log } = await startServer(service, { maxFrameBytes: 1024 });
    const good = await RawPeer.open(port, service);
    const inFlight = good.call(1, "slow", []);

    const garbage = await RawPeer.open(port);
    garbage.send(Buffer.from("\x00\x00\x00\x04\x00\x00\x00\x09junk"));
    const oversized = await RawPeer.open(port);
    oversized.send(header(1 << 20));
    await Promise.all([garbage.closed, oversized.closed]);
    expect(log).toHaveLength(2);

    await expect(good.call(2, "add", [20, 22]), "the good client is still served").resolves.toEqual(
      { ok: true, result: 42 },
    );
    slow.open();
    await expect(inFlight, "its call in flight was not lost").resolves.toEqual({
      ok: true,
      result: "done",
    });
  });

  it("refuses, with unavailable, a call that arrives while it is closing", async () => {
    const slow = gate();
    const started = gate();
    const service = {
      slow: () => (started.open(), slow.wait.then(() => "slow done")),
      add: calculator.add,
    };
    const running = await serve(service, { log: () => {} });
    const peer = await RawPeer.open(running.port, service);
    const first = peer.call(1, "slow", []);
    await started.wait; // the server is busy with a call: it cannot just end the connection
    const closing = running.close({ graceMs: 10_000 });
    await expect(
      peer.call(2, "add", [1, 1]),
      "a call that came in during shutdown is answered with a refusal, never run silently",
    ).resolves.toMatchObject({ ok: false, error: { code: "unavailable" } });
    slow.open();
    await expect(first, "calls in flight finish and reply").resolves.toEqual({
      ok: true,
      result: "slow done",
    });
    await closing;
  });

  it("stops reading a client's calls while that client does not read its replies", async () => {
    // client ──20,000 calls──▶ server ──2 KB replies──▶ client (not reading)
    // The replies back up; a server that keeps reading would run every call and hold all of
    // their replies in memory. One that pauses runs only what it read before the backlog.
    let ran = 0;
    const service = { big: (n: number) => (ran++, "x".repeat(n)) };
    const { port } = await startServer(service);
    const socket = net.connect({ host: "127.0.0.1", port });
    later(() => void socket.destroy());
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.pause(); // read nothing
    const { id } = Registry.fromService(service).byName("big");
    const CALLS = 20_000;
    for (let i = 1; i <= CALLS; i++)
      socket.write(encodeFrame(i, encodeCall({ callId: id, args: [2048] })));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(ran, "the server must pause the socket while its writes wait for 'drain'").toBeLessThan(
      CALLS,
    );
    socket.on("data", () => {}); // now read: the server catches up
    socket.resume();
    for (let i = 0; i < 200 && ran < CALLS; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ran, "and it runs the rest once the client reads again").toBe(CALLS);
  });
});
