import { describe, expect, it } from "vitest";
import { calculator } from "../../shared/calculator.js";
import { encodeFrame, HEADER_BYTES } from "./framing.js";
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

  it("stops reading a connection's calls while maxInFlight of them run", async () => {
    const slow = gate();
    const twoStarted = gate();
    let started = 0;
    const service = {
      slow: () => {
        if (++started === 2) twoStarted.open();
        return slow.wait.then(() => "done");
      },
    };
    const { port } = await startServer(service, { maxInFlight: 2 });
    const peer = await RawPeer.open(port, service);
    const calls = [1, 2].map((id) => peer.call(id, "slow", []));
    await twoStarted.wait;
    calls.push(...[3, 4, 5].map((id) => peer.call(id, "slow", [])));
    await new Promise((resolve) => setTimeout(resolve, 50)); // time enough for them to arrive
    expect(started, "the server does not read more calls while two run").toBe(2);
    slow.open();
    for (const call of calls) await expect(call).resolves.toEqual({ ok: true, result: "done" });
    expect(started).toBe(5);
  });

  it("closes a connection that stays idle for idleTimeoutMs, without a log line", async () => {
    const { port, log } = await startServer(calculator, { idleTimeoutMs: 50 });
    const idle = await RawPeer.open(port);
    await idle.closed; // the server must close it
    expect(log).toEqual([]);
    const good = await RawPeer.open(port, calculator);
    await expect(good.call(1, "add", [1, 2])).resolves.toEqual({ ok: true, result: 3 });
  });

  it("does not count a connection waiting for its own slow call as idle", async () => {
    const slow = gate();
    const service = { slow: () => slow.wait.then(() => "done") };
    const { port } = await startServer(service, { idleTimeoutMs: 15 });
    const peer = await RawPeer.open(port, service);
    const call = peer.call(1, "slow", []);
    // Three idle timeouts: a server that counted this connection as idle has closed it by now.
    await new Promise((resolve) => setTimeout(resolve, 45));
    slow.open();
    await expect(call).resolves.toEqual({ ok: true, result: "done" });
  });

  it("closes a connection whose frame is not complete within frameTimeoutMs", async () => {
    const { port, log } = await startServer(calculator, { frameTimeoutMs: 50 });
    const peer = await RawPeer.open(port);
    const frame = encodeFrame(1, new Uint8Array(10_000));
    // Half a frame, then a byte now and then: the connection is never idle, the frame never ends.
    peer.send(frame.subarray(0, 50));
    const dribble = setInterval(() => peer.send(frame.subarray(50, 51)), 10);
    later(() => clearInterval(dribble));
    await peer.closed;
    expect(log.join("\n")).toMatch(/deadline_exceeded.*not complete/);
  });

  it("holds at most maxBufferedBytes of unfinished frames over all connections", async () => {
    const { port, log } = await startServer(calculator, { maxBufferedBytes: 4000 });
    const first = await RawPeer.open(port);
    first.send(header(3000));
    first.send(new Uint8Array(2000));
    const second = await RawPeer.open(port);
    second.send(header(3000));
    second.send(new Uint8Array(2000)); // 4,016 bytes held in all: over the budget
    await second.closed;
    expect(log.join("\n")).toMatch(/busy/);
    first.socket.destroy(); // its share of the budget goes back
    await first.closed;
    const good = await RawPeer.open(port, calculator);
    await expect(good.call(1, "add", [2, 2])).resolves.toEqual({ ok: true, result: 4 });
  });

  it("lets new clients in at maxConnections: a silent connection goes first, then an idle one, never a busy one", async () => {
    const slow = gate();
    const service = { ...calculator, slow: () => slow.wait.then(() => "done") };
    const { port } = await startServer(service, { maxConnections: 3 });
    const busy = await RawPeer.open(port, service);
    const running = busy.call(1, "slow", []);
    // Replies come in order of reading: once this one is in, the slow call is running.
    await expect(busy.call(2, "add", [1, 1])).resolves.toEqual({ ok: true, result: 2 });
    const idle = await RawPeer.open(port, service);
    await expect(idle.call(1, "add", [2, 2])).resolves.toEqual({ ok: true, result: 4 });
    const silent = await RawPeer.open(port, service); // never sends a byte
    // The server is at its cap. Each newcomer takes the place of a connection that loses nothing.
    const first = await RawPeer.open(port, service);
    await expect(first.call(1, "add", [3, 3])).resolves.toEqual({ ok: true, result: 6 });
    await silent.closed;
    const second = await RawPeer.open(port, service);
    await expect(second.call(1, "add", [4, 4])).resolves.toEqual({ ok: true, result: 8 });
    await idle.closed;
    slow.open();
    await expect(
      running,
      "a connection with a call running is never the one closed",
    ).resolves.toEqual({
      ok: true,
      result: "done",
    });
  });

  it("refuses the calls that arrive while it shuts down, and finishes those running", async () => {
    const slow = gate();
    let ran = 0;
    const service = { slow: () => slow.wait.then(() => "done"), count: () => ++ran };
    const server = await serve(service, { log: () => {} });
    later(() => server.close({ graceMs: 0 }));
    const peer = await RawPeer.open(server.port, service);
    const running = peer.call(1, "slow", []);
    await expect(peer.call(2, "count", [])).resolves.toEqual({ ok: true, result: 1 });
    const closing = server.close();
    const late = await peer.call(3, "count", []);
    expect(late, "a call arriving while closing gets a clear refusal").toMatchObject({
      ok: false,
      error: { code: "unavailable", message: expect.stringMatching(/shutting down/) },
    });
    expect(ran, "and is never run").toBe(1);
    slow.open();
    await expect(running).resolves.toEqual({ ok: true, result: "done" });
    await closing;
  });
});
