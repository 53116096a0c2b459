import { Dealer, Router } from "zeromq";
import { afterEach, describe, expect, it } from "vitest";
import { joinEnvelope, Outbox, splitEnvelope } from "./envelope.js";

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

const b = (text: string) => Buffer.from(text);
const EMPTY = Buffer.alloc(0);

describe("task 2: ROUTER/DEALER", () => {
  it("splits [routing id, empty, payload] into the route and the body", () => {
    expect(splitEnvelope([b("id1"), EMPTY, b("payload")])).toEqual({
      route: [b("id1")],
      body: b("payload"),
    });
  });

  it("keeps every routing id when the message crossed several ROUTERs", () => {
    expect(splitEnvelope([b("outer"), b("inner"), EMPTY, b("payload")])).toEqual({
      route: [b("outer"), b("inner")],
      body: b("payload"),
    });
  });

  it.each([
    ["no frames at all", []],
    ["a payload alone", [b("payload")]],
    ["an id and a payload, no delimiter", [b("id"), b("payload")]],
    ["a delimiter and a payload, no id", [EMPTY, b("payload")]],
    ["two payload frames", [b("id"), EMPTY, b("a"), b("b")]],
    ["a non-empty delimiter", [b("id"), b("x"), b("payload")]],
    ["an empty routing id", [EMPTY, EMPTY, b("payload")]],
  ])("refuses %s", (_label, frames) => {
    expect(splitEnvelope(frames as Buffer[]), "return undefined for anything else").toBeUndefined();
  });

  it("puts the route back in front of a reply, then the empty delimiter", () => {
    const frames = joinEnvelope([b("outer"), b("inner")], b("reply"));
    expect(frames.map((f) => Buffer.from(f).toString())).toEqual(["outer", "inner", "", "reply"]);
  });

  it("queues sends on a socket that cannot send yet, and delivers them in order", async () => {
    // A DEALER with no peer is "mute": a second send() while the first waits throws EBUSY.
    const dealer = new Dealer({ linger: 0, sendHighWaterMark: 1 });
    cleanup.push(() => dealer.close());
    const outbox = new Outbox(dealer);
    const sends = ["one", "two", "three"].map((text) => outbox.send([EMPTY, b(text)]));

    const router = new Router({ linger: 0, receiveTimeout: 5_000 });
    cleanup.push(() => router.close());
    await router.bind("tcp://127.0.0.1:*");
    dealer.connect(router.lastEndpoint!);

    await expect(Promise.all(sends), "each send waits for the one before it").resolves.toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    const received: string[] = [];
    for (let i = 0; i < 3; i++) received.push((await router.receive())[2]!.toString());
    expect(received).toEqual(["one", "two", "three"]);
  });

  it("lets one ROUTER answer many DEALERs, each getting only its own replies", async () => {
    // dealer 0 ─┐                      ┌─▶ dealer 0
    // dealer 1 ─┼─▶ ROUTER (echo) ─────┼─▶ dealer 1      the routing id picks the peer
    // dealer 2 ─┘                      └─▶ dealer 2
    const router = new Router({ linger: 0 });
    await router.bind("tcp://127.0.0.1:*");
    const outbox = new Outbox(router);
    const echoing = (async () => {
      for await (const frames of router) {
        const envelope = splitEnvelope(frames);
        if (envelope) await outbox.send(joinEnvelope(envelope.route, envelope.body));
      }
    })();
    cleanup.push(async () => {
      router.close();
      await echoing;
    });

    const dealers = [0, 1, 2].map(() => {
      const dealer = new Dealer({ linger: 0, receiveTimeout: 5_000 });
      dealer.connect(router.lastEndpoint!);
      cleanup.push(() => dealer.close());
      return { dealer, outbox: new Outbox(dealer) };
    });
    // Many messages in flight from every dealer at once, no waiting for replies in between.
    await Promise.all(
      dealers.flatMap(({ outbox: out }, d) =>
        Array.from({ length: 20 }, (_, i) => out.send([EMPTY, b(`${d}:${i}`)])),
      ),
    );
    for (const [d, { dealer }] of dealers.entries()) {
      const replies: string[] = [];
      for (let i = 0; i < 20; i++) {
        const [delimiter, body] = await dealer.receive();
        expect(delimiter!.length, "a reply starts with the empty delimiter").toBe(0);
        replies.push(body!.toString());
      }
      expect(replies).toEqual(Array.from({ length: 20 }, (_, i) => `${d}:${i}`));
    }
  });
});
