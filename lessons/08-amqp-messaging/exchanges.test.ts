import type { Channel } from "amqplib";
import { describe, expect, it } from "vitest";
import { openConnection, uniqueName, useBrokerSession } from "../../shared/broker/testing.js";
import { declareExchange, publishEvent, subscribe, type ExchangeType } from "./exchanges.js";

const broker = useBrokerSession();

function freshExchange(): string {
  const exchange = uniqueName("events");
  broker.deleteAfterAll({ exchanges: [exchange] });
  return exchange;
}

/**
 * Publishes on a confirm channel and waits for the confirms: after that, the broker has routed
 * every event into every queue it goes to, so reading the queues shows exactly what arrived.
 */
async function publishAll(exchange: string, type: ExchangeType, keys: string[]): Promise<void> {
  const channel = await broker.confirmChannel();
  await declareExchange(channel, exchange, type);
  for (const key of keys) await publishEvent(channel, exchange, key, { key });
  await channel.waitForConfirms();
}

/** Everything waiting in the queue, by the routing key it was published with. */
async function keysIn(channel: Channel, queue: string): Promise<string[]> {
  const keys: string[] = [];
  for (;;) {
    const message = await channel.get(queue, { noAck: true });
    if (message === false) return keys;
    expect(message.properties.contentType, "publish events as application/json").toBe(
      "application/json",
    );
    keys.push((JSON.parse(message.content.toString()) as { key: string }).key);
  }
}

describe("task 4: direct, topic and fanout exchanges", () => {
  it("direct: a queue gets the messages whose routing key equals one of its binding keys", async () => {
    //                      ┌─ "error" ──────────► errors
    //  exchange (direct) ──┤
    //                      └─ "info", "warning" ─► chatter        ("debug" matches nothing)
    const channel = await broker.channel();
    const exchange = freshExchange();
    const errors = await subscribe(channel, exchange, "direct", ["error"]);
    const chatter = await subscribe(channel, exchange, "direct", ["info", "warning"]);
    await publishAll(exchange, "direct", ["error", "info", "debug", "warning", "error"]);
    expect(await keysIn(channel, errors)).toEqual(["error", "error"]);
    expect(await keysIn(channel, chatter), "bind the queue once for every binding key").toEqual([
      "info",
      "warning",
    ]);
  });

  it("topic: * stands for exactly one word, # for any number of words", async () => {
    const channel = await broker.channel();
    const exchange = freshExchange();
    const anyError = await subscribe(channel, exchange, "topic", ["*.error"]);
    const allNova = await subscribe(channel, exchange, "topic", ["nova.#"]);
    const everything = await subscribe(channel, exchange, "topic", ["#"]);
    const keys = ["nova.error", "nova.compute.info", "cinder.error", "nova", "cinder.volume.error"];
    await publishAll(exchange, "topic", keys);
    expect(await keysIn(channel, anyError)).toEqual(["nova.error", "cinder.error"]);
    expect(await keysIn(channel, allNova)).toEqual(["nova.error", "nova.compute.info", "nova"]);
    expect(await keysIn(channel, everything)).toEqual(keys);
  });

  it("topic: a message that matches two bindings of one queue arrives there once", async () => {
    const channel = await broker.channel();
    const exchange = freshExchange();
    const queue = await subscribe(channel, exchange, "topic", ["nova.*", "*.error"]);
    await publishAll(exchange, "topic", ["nova.error"]);
    expect(await keysIn(channel, queue)).toEqual(["nova.error"]);
  });

  it("fanout: every bound queue gets every message, whatever its key", async () => {
    //                      ┌──► first
    //  exchange (fanout) ──┼──► second
    //                      └──► third
    const channel = await broker.channel();
    const exchange = freshExchange();
    const queues = [
      await subscribe(channel, exchange, "fanout", []),
      await subscribe(channel, exchange, "fanout", ["ignored"]),
      await subscribe(channel, exchange, "fanout", ["a", "b"]),
    ];
    await publishAll(exchange, "fanout", ["a", "b", "anything"]);
    for (const queue of queues) {
      expect(await keysIn(channel, queue), "each queue once, each message once").toEqual([
        "a",
        "b",
        "anything",
      ]);
    }
  });

  it("gives each subscriber a queue of its own that goes away with its connection", async () => {
    const exchange = freshExchange();
    const passing = await openConnection();
    const channel = await passing.createChannel();
    const queue = await subscribe(channel, exchange, "fanout", []);
    const other = await subscribe(channel, exchange, "fanout", []);
    expect(queue, "let the broker name the queue: assertQueue('')").not.toBe(other);
    await passing.close();

    const probe = await broker.channel();
    await expect(
      probe.checkQueue(queue),
      "declare the queue exclusive, so the broker deletes it when the subscriber leaves",
    ).rejects.toThrow(/NOT_FOUND/);
  });

  it("refuses an event that JSON cannot carry", async () => {
    const channel = await broker.channel();
    const exchange = freshExchange();
    await declareExchange(channel, exchange, "fanout");
    await expect(publishEvent(channel, exchange, "", undefined)).rejects.toMatchObject({
      code: "invalid_argument",
    });
  });
});
