import { afterEach, describe, expect, it } from "vitest";
import { calculator } from "../../shared/calculator.js";
import { ZeroRpcClient } from "./client.js";
import { Heartbeats } from "./heartbeat.js";
import { gate, RawClient, RawServer, requireEvents } from "./raw-peers.js";
import { serveZeroRpc } from "./server.js";

// zerorpc's default interval is 5 s; the tests wait for events, never for a clock. A test that
// waits for a side to give up uses 5 ms: a shorter interval only brings the loss sooner, and the
// first tick after a call can only beat (silence is judged as of when a tick was due). A test
// where both sides must stay alive uses 50 ms, so that a busy machine does not lose a peer that
// is there; it needs several intervals of real time and so runs with the slow checks.
const LOSS_HEARTBEAT_MS = 5;
const HEARTBEAT_MS = 50;

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

function recorder() {
  const beats: string[] = [];
  const lost: string[] = [];
  const heartbeats = new Heartbeats<string>(100, {
    beat: (key) => beats.push(key),
    lost: (key) => lost.push(key),
  });
  cleanup.push(() => heartbeats.close());
  return { heartbeats, beats, lost };
}

describe("task 7: heartbeats and lost remotes", () => {
  it("beats on every channel it watches, at each tick", () => {
    const { heartbeats, beats, lost } = recorder();
    heartbeats.watch("a", 0);
    heartbeats.watch("b", 0);
    heartbeats.tick(100);
    expect(beats.sort()).toEqual(["a", "b"]);
    expect(lost).toEqual([]);
  });

  it("declares a channel lost after two silent intervals, once, and stops beating it", () => {
    const { heartbeats, beats, lost } = recorder();
    heartbeats.watch("quiet", 0);
    heartbeats.watch("chatty", 0);
    heartbeats.heard("chatty", 150);
    heartbeats.tick(200);
    expect(lost, "200 ms silent is exactly two intervals: not lost yet").toEqual([]);
    heartbeats.tick(201);
    expect(lost, "more than two intervals of silence: lost").toEqual(["quiet"]);
    beats.length = 0;
    heartbeats.tick(300);
    expect(lost, "a lost channel is forgotten, reported only once").toEqual(["quiet"]);
    expect(beats).toEqual(["chatty"]);
  });

  it("forgets a channel when asked, and ignores news of channels it does not watch", () => {
    const { heartbeats, beats, lost } = recorder();
    heartbeats.watch("done", 0);
    heartbeats.forget("done");
    heartbeats.heard("never-watched", 50);
    heartbeats.tick(1_000);
    expect([beats, lost]).toEqual([[], []]);
    expect(heartbeats.size).toBe(0);
  });

  it("the server heartbeats a call while it runs: _zpc_hb [0] on its channel", async () => {
    requireEvents();
    const slow = gate();
    const server = await serveZeroRpc(
      { ...calculator, wait: () => slow.promise },
      { heartbeatMs: LOSS_HEARTBEAT_MS },
    );
    cleanup.push(() => server.close());
    const client = new RawClient(server.endpoint);
    cleanup.push(() => client.close());
    await client.send({ message_id: "long", v: 3 }, "wait", []);
    const [header, name, args] = await client.receive();
    expect(name, "while a call runs, the server sends heartbeats").toBe("_zpc_hb");
    expect(args).toEqual([0]);
    expect(header.response_to).toBe("long");
    slow.open();
  });

  it("the server gives up a stream whose client went silent: its finally runs", async () => {
    requireEvents();
    const released = gate();
    const service = {
      *forever() {
        try {
          for (let i = 0; ; i++) yield i;
        } finally {
          released.open();
        }
      },
    };
    const log: string[] = [];
    const server = await serveZeroRpc(service, {
      heartbeatMs: LOSS_HEARTBEAT_MS,
      log: (line) => log.push(line),
    });
    cleanup.push(() => server.close());
    const client = new RawClient(server.endpoint);
    cleanup.push(() => client.close());
    await client.send({ message_id: "f", v: 3 }, "forever", []);
    expect((await client.receiveReply()).slice(1)).toEqual(["STREAM", 0]);
    // This client never heartbeats and never grants more: to the server it is gone.
    await released.promise;
    expect(log.join("\n"), "log the lost remote").toMatch(/lost remote/i);
  });

  it("the client rejects a call with unavailable when the server goes silent", async () => {
    requireEvents();
    // A server that takes the call and then says nothing at all, not even _zpc_hb.
    const peer = new RawServer();
    cleanup.push(() => peer.close());
    const client = ZeroRpcClient.connect(await peer.bind(), { heartbeatMs: LOSS_HEARTBEAT_MS });
    cleanup.push(() => client.close());
    const pending = client.call("add", [1, 2], { timeoutMs: 10_000 });
    const { event: request } = await peer.receive();

    const { event: beat } = await peer.receive();
    expect(beat[1], "the client heartbeats its call too").toBe("_zpc_hb");
    expect(beat[0].response_to, "on the call's channel").toEqual(request[0].message_id);
    const error = await pending.catch((e: unknown) => e);
    expect(error, "lost remote: unavailable, long before the 10 s deadline").toMatchObject({
      code: "unavailable",
    });
    expect((error as Error).message).toMatch(/heartbeat/);
  });

  it("keeps a slow call alive with heartbeats on both sides", { tags: ["slow"] }, async () => {
    requireEvents();
    const server = await serveZeroRpc(
      {
        // Ten heartbeat intervals: without heartbeats, either side would give up.
        slow: () => new Promise((resolve) => setTimeout(resolve, 10 * HEARTBEAT_MS, "done")),
      },
      { heartbeatMs: HEARTBEAT_MS },
    );
    cleanup.push(() => server.close());
    const client = ZeroRpcClient.connect(server.endpoint, {
      heartbeatMs: HEARTBEAT_MS,
      timeoutMs: 3_000,
    });
    cleanup.push(() => client.close());
    await expect(client.call("slow", [])).resolves.toBe("done");
  });

  it(
    "a client that stops reading a stream early lets the server release it",
    { tags: ["slow"] },
    async () => {
      requireEvents();
      const released = gate();
      const server = await serveZeroRpc(
        {
          *forever() {
            try {
              for (let i = 0; ; i++) yield i;
            } finally {
              released.open();
            }
          },
        },
        { heartbeatMs: HEARTBEAT_MS },
      );
      cleanup.push(() => server.close());
      const client = ZeroRpcClient.connect(server.endpoint, {
        heartbeatMs: HEARTBEAT_MS,
        timeoutMs: 3_000,
      });
      cleanup.push(() => client.close());
      const items: unknown[] = [];
      for await (const item of client.stream("forever")) {
        items.push(item);
        if (items.length === 3) break;
      }
      expect(items).toEqual([0, 1, 2]);
      await released.promise; // the client stopped heartbeating that channel; the server noticed
    },
  );
});
