import { randomUUID } from "node:crypto";
import amqp from "amqplib";
import type { BenchClient, BenchServer, ClientOptions, TargetContext } from "../harness/target.js";

/**
 * Bare amqplib carrying what oslo.messaging's protocol asks for, and nothing of the lesson's
 * layers: requests through a topic exchange to the topic's queue, each body the oslo envelope
 * (JSON inside JSON) with `_msg_id`, `_reply_q`, `_unique_id` and `_timeout`, replies through
 * the default exchange to a `reply_<uuid>` queue the client declared, matched by `_msg_id`.
 * Every publish goes out on a confirm channel, as oslo's rabbit driver always publishes
 * (kombu's `confirm_publish: True`), and replies are mandatory (its `direct_mandatory_flag`);
 * the properties are kombu's. Nothing waits for a confirm before going on: the least the
 * protocol costs. What this row loses against the bare row is the protocol's cost; what
 * lesson 9 loses against this row is its own.
 */
const EXCHANGE = "bench-oslo";
const uuid = () => randomUUID().replaceAll("-", "");
const envelope = (message: object) =>
  Buffer.from(JSON.stringify({ "oslo.version": "2.0", "oslo.message": JSON.stringify(message) }));
const open = (body: Buffer) =>
  JSON.parse((JSON.parse(body.toString()) as { "oslo.message": string })["oslo.message"]) as Record<
    string,
    unknown
  >;
const PROPERTIES = {
  contentType: "application/json",
  contentEncoding: "utf-8",
  deliveryMode: 2,
  priority: 0,
  headers: {},
};

export async function serve({ amqpUrl }: TargetContext): Promise<BenchServer> {
  const connection = await amqp.connect(amqpUrl!, { noDelay: true });
  const channel = await connection.createConfirmChannel();
  const topic = `bench-${uuid()}`;
  await channel.assertExchange(EXCHANGE, "topic", { durable: false, autoDelete: false });
  await channel.assertQueue(topic, { durable: false, autoDelete: true });
  await channel.bindQueue(topic, EXCHANGE, topic);
  await channel.prefetch(64);
  await channel.consume(topic, (message) => {
    if (!message) return;
    channel.ack(message);
    const request = open(message.content);
    const { a, b } = request.args as { a: number; b: number };
    const reply = {
      result: a + b,
      failure: null,
      ending: true,
      _msg_id: request._msg_id,
      _unique_id: uuid(),
    };
    channel.publish(
      "",
      request._reply_q as string,
      envelope(reply),
      { ...PROPERTIES, mandatory: true },
      (error) => error && console.error(`a reply was not confirmed: ${String(error)}`),
    );
  });
  return { address: topic, close: () => connection.close() };
}

export async function connect(topic: string, { amqpUrl }: ClientOptions): Promise<BenchClient> {
  const connection = await amqp.connect(amqpUrl!, { noDelay: true });
  const channel = await connection.createConfirmChannel();
  const replyQueue = `reply_${uuid()}`;
  await channel.assertQueue(replyQueue, { durable: false, autoDelete: true });
  const pending = new Map<string, { resolve(sum: number): void; reject(error: unknown): void }>();
  await channel.consume(
    replyQueue,
    (message) => {
      if (!message) return;
      const reply = open(message.content);
      const id = reply._msg_id as string;
      pending.get(id)?.resolve(reply.result as number);
      pending.delete(id);
    },
    { noAck: true },
  );
  return {
    add(a, b) {
      const msgId = uuid();
      const request = {
        method: "add",
        args: { a, b },
        _msg_id: msgId,
        _reply_q: replyQueue,
        _timeout: null,
        _unique_id: uuid(),
      };
      const sent = new Promise<number>((resolve, reject) =>
        pending.set(msgId, { resolve, reject }),
      );
      channel.publish(
        EXCHANGE,
        topic,
        envelope(request),
        { ...PROPERTIES, expiration: "60000" },
        (error) => error && pending.get(msgId)?.reject(error),
      );
      return sent;
    },
    close: () => connection.close(),
  };
}
