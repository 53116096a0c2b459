import { afterEach, describe, expect, it } from "vitest";
import { ZeroRpcClient } from "./client.js";
import { RawClient, requireEvents } from "./raw-peers.js";
import { serveZeroRpc } from "./server.js";

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

/** The articles' streaming service, plus a counter that shows how far the server has read. */
function streamingService() {
  const produced: number[] = [];
  return {
    produced,
    service: {
      *streaming_range(from: number, to: number, step: number) {
        for (let i = from; i < to; i += step) yield i;
      },
      *counting(limit: number) {
        for (let i = 0; i < limit; i++) {
          produced.push(i);
          yield i;
        }
      },
      async *failing() {
        yield "first";
        throw new RangeError("ran out");
      },
      list: () => [1, 2, 3],
    },
  };
}

async function start() {
  requireEvents();
  const { service, produced } = streamingService();
  const server = await serveZeroRpc(service);
  cleanup.push(() => server.close());
  return { server, produced };
}

function rawClient(endpoint: string): RawClient {
  const client = new RawClient(endpoint);
  cleanup.push(() => client.close());
  return client;
}

function connect(endpoint: string, streamBuffer = 100): ZeroRpcClient {
  const client = ZeroRpcClient.connect(endpoint, { timeoutMs: 3_000, streamBuffer });
  cleanup.push(() => client.close());
  return client;
}

describe("task 6: streaming replies", () => {
  it("sends a generator's items as STREAM events, ended by STREAM_DONE", async () => {
    const client = rawClient((await start()).server.endpoint);
    await client.send({ message_id: "s", v: 3 }, "streaming_range", [10, 20, 2]);
    const [header, name, args] = await client.receiveReply();
    expect(name, "a method that returns a generator streams").toBe("STREAM");
    expect(args, "STREAM carries the item itself, not [item]").toBe(10);
    expect(header.response_to).toBe("s");

    await client.send({ message_id: "m", v: 3, response_to: "s" }, "_zpc_more", [100]);
    const rest: unknown[] = [];
    for (;;) {
      const [, next, item] = await client.receiveReply();
      if (next === "STREAM_DONE") {
        expect(item, "STREAM_DONE carries nil").toBeNull();
        break;
      }
      expect(next).toBe("STREAM");
      rest.push(item);
    }
    expect(rest).toEqual([12, 14, 16, 18]);
  });

  it("sends one item, then only as many as the client grants with _zpc_more", async () => {
    const { server, produced } = await start();
    const client = rawClient(server.endpoint);
    await client.send({ message_id: "c", v: 3 }, "counting", [100]);
    expect((await client.receiveReply()).slice(1)).toEqual(["STREAM", 0]);
    // A round trip on another channel gives the server every chance to run ahead.
    await client.send({ message_id: "p1", v: 3 }, "_zerorpc_ping", []);
    await client.receiveReply();
    expect(produced, "wait for credit before taking the next item").toEqual([0]);

    await client.send({ message_id: "g", v: 3, response_to: "c" }, "_zpc_more", [3]);
    for (const expected of [1, 2, 3]) {
      expect((await client.receiveReply()).slice(1)).toEqual(["STREAM", expected]);
    }
    await client.send({ message_id: "p2", v: 3 }, "_zerorpc_ping", []);
    await client.receiveReply();
    expect(produced, "three slots granted, three more items read").toEqual([0, 1, 2, 3]);
  });

  it("returns a stream from client.stream() as an async iterator", async () => {
    const client = connect((await start()).server.endpoint);
    const items: unknown[] = [];
    for await (const item of client.stream("streaming_range", [10, 20, 2])) items.push(item);
    expect(items).toEqual([10, 12, 14, 16, 18]);
  });

  it("gives an empty stream (STREAM_DONE at once) as an iterator with no items", async () => {
    const client = connect((await start()).server.endpoint);
    const items: unknown[] = [];
    for await (const item of client.stream("streaming_range", [5, 5, 1])) items.push(item);
    expect(items).toEqual([]);
  });

  it("tells a stream from a value by the first reply, as zerorpc's client does", async () => {
    const client = connect((await start()).server.endpoint);
    await expect(client.call("list", []), "an array is a value, not a stream").resolves.toEqual([
      1, 2, 3,
    ]);
    const reply = await client.call("streaming_range", [0, 3, 1]);
    expect(Symbol.asyncIterator in (reply as object), "a STREAM reply is an AsyncIterable").toBe(
      true,
    );
    const items: unknown[] = [];
    for await (const item of reply as AsyncIterable<unknown>) items.push(item);
    expect(items).toEqual([0, 1, 2]);
  });

  it("carries a long stream with backpressure: the server never runs ahead of the buffer", async () => {
    const { server, produced } = await start();
    const buffer = 5;
    const client = connect(server.endpoint, buffer);
    let consumed = 0;
    // Five times the buffer: the server must stop and wait for the reader again and again.
    for await (const item of client.stream("counting", [5 * buffer])) {
      expect(item).toBe(consumed);
      consumed += 1;
      expect(
        produced.length - consumed,
        "grant _zpc_more for the free room of the buffer, only as the reader reads",
      ).toBeLessThanOrEqual(buffer);
    }
    expect(consumed).toBe(5 * buffer);
  });

  it("ends the iteration with the error a stream fails with, after the items before it", async () => {
    const client = connect((await start()).server.endpoint);
    const items: unknown[] = [];
    const error = await (async () => {
      for await (const item of client.stream("failing")) items.push(item);
    })().catch((e: unknown) => e);
    expect(items).toEqual(["first"]);
    expect(error).toMatchObject({ code: "remote_error", remoteName: "RangeError" });
  });
});
