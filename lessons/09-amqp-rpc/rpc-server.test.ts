import { describe, expect, it } from "vitest";
import { receive, useBrokerSession } from "../../shared/broker/testing.js";
import { calculatorEndpoint } from "../../shared/oslo-calculator.js";
import { gate, useRpc } from "./harness.js";

// These tests play the client by hand with amqplib, byte for byte as Python's oslo.messaging
// would, so that the server is checked against the wire format and not against our client.

const rpc = useRpc();
const broker = useBrokerSession();

/** A call as oslo.messaging 14 publishes it: the envelope, JSON, on the "openstack" exchange. */
function oslo(message: Record<string, unknown>): Buffer {
  return Buffer.from(
    JSON.stringify({ "oslo.version": "2.0", "oslo.message": JSON.stringify(message) }),
  );
}

const PROPS = { contentType: "application/json", contentEncoding: "utf-8", deliveryMode: 2 };

describe("task 5: serve a target", () => {
  it("declares oslo's queues: <topic>, <topic>.<server>, and <topic>_fanout_<id>", async () => {
    const { transport } = await rpc.sharedTransport();
    const topic = rpc.topic();
    await rpc.server(transport, { topic, server: "host-a" }, [calculatorEndpoint]);
    // The first check that fails ends the test (and the channel: the broker closes it).
    const channel = await broker.channel();
    await expect(channel.checkQueue(topic), `queue "${topic}"`).resolves.toBeTruthy();
    await expect(channel.checkQueue(`${topic}.host-a`)).resolves.toBeTruthy();
    await expect(channel.checkExchange(`${topic}_fanout`)).resolves.toBeTruthy();
    await expect(channel.checkExchange("openstack"), "the default exchange").resolves.toBeTruthy();
  });

  it("answers a call sent as oslo.messaging sends it, on the caller's reply queue", async () => {
    const { transport } = await rpc.sharedTransport();
    const topic = rpc.topic();
    await rpc.server(transport, { topic, server: "host-a" }, [calculatorEndpoint]);
    const channel = await broker.channel();
    const replyQueue = `reply_${rpc.topic("t").replaceAll(".", "")}`;
    await channel.assertQueue(replyQueue, { autoDelete: true });
    channel.publish(
      "openstack",
      topic,
      oslo({
        method: "add",
        args: { a: 1, b: 2 },
        _msg_id: "m-1",
        _reply_q: replyQueue,
        _timeout: null,
        _unique_id: "u-1",
        _context_user: "ada",
      }),
      PROPS,
    );
    const [reply] = await receive(channel, replyQueue, 1);
    const envelope = JSON.parse(reply!.content.toString());
    expect(envelope["oslo.version"], "replies travel in the envelope too").toBe("2.0");
    expect(JSON.parse(envelope["oslo.message"])).toMatchObject({
      result: 3,
      failure: null,
      ending: true,
      _msg_id: "m-1",
    });
  });

  it("sends a thrown error back as oslo's failure, with class and message", async () => {
    const { transport } = await rpc.sharedTransport();
    const topic = rpc.topic();
    await rpc.server(transport, { topic, server: "host-a" }, [calculatorEndpoint]);
    const channel = await broker.channel();
    const { queue } = await channel.assertQueue("", { exclusive: true });
    channel.publish(
      "openstack",
      `${topic}.host-a`,
      oslo({ method: "divide", args: { a: 1, b: 0 }, _msg_id: "m-2", _reply_q: queue }),
      PROPS,
    );
    const [reply] = await receive(channel, queue, 1);
    const message = JSON.parse(JSON.parse(reply!.content.toString())["oslo.message"]);
    expect(message.result).toBeNull();
    expect(typeof message.failure, "failure is JSON text inside the message").toBe("string");
    expect(JSON.parse(message.failure)).toMatchObject({
      class: "DivisionByZeroError",
      message: "division by zero",
    });
  });

  it("runs a cast (no _msg_id) and sends nothing back", async () => {
    const { transport } = await rpc.sharedTransport();
    const topic = rpc.topic();
    const called = gate<unknown>();
    const endpoint = {
      remember: (context: unknown, args: unknown) => called.open({ context, args }),
    };
    await rpc.server(transport, { topic, server: "host-a" }, [endpoint]);
    const channel = await broker.channel();
    channel.publish(
      "openstack",
      topic,
      oslo({ method: "remember", args: { value: 7 }, _unique_id: "u", _context_user: "ada" }),
      PROPS,
    );
    await expect(called.promise).resolves.toEqual({
      context: { user: "ada" },
      args: { value: 7 },
    });
  });

  it("rejects malformed messages without requeueing them, logs them, and keeps serving", async () => {
    const { transport } = await rpc.sharedTransport();
    const topic = rpc.topic();
    const { logs } = await rpc.server(transport, { topic, server: "host-a" }, [calculatorEndpoint]);
    const channel = await broker.channel();
    const { queue } = await channel.assertQueue("", { exclusive: true });
    const poison = [
      Buffer.from("this is not JSON"),
      Buffer.from("[1, 2, 3]"),
      oslo({ args: { a: 1 }, _msg_id: "x", _reply_q: queue }), // no method
      oslo({ method: "add", args: [1, 2] }), // args not by name
      Buffer.from(JSON.stringify({ "oslo.version": "2.0", "oslo.message": "{broken" })),
    ];
    for (const body of poison) channel.publish("openstack", topic, body, PROPS);
    channel.publish(
      "openstack",
      topic,
      oslo({ method: "add", args: { a: 2, b: 2 }, _msg_id: "good", _reply_q: queue }),
      PROPS,
    );
    // Two replies: a failure for the malformed call that left an address ("x"), and 4.
    const replies = (await receive(channel, queue, 2)).map((reply) =>
      JSON.parse(JSON.parse(reply.content.toString())["oslo.message"]),
    );
    expect(
      replies.find((r) => r._msg_id === "good"),
      "the server must survive the poison and answer",
    ).toMatchObject({ result: 4 });
    const { messageCount } = await channel.checkQueue(topic);
    expect(messageCount, "rejected messages must not be requeued").toBe(0);
    expect(
      logs.filter((line) => /malformed|reject/i.test(line)),
      "log each rejected message",
    ).toHaveLength(5);
  });

  it("answers a malformed call that left a reply address with a failure, not silence", async () => {
    const { transport } = await rpc.sharedTransport();
    const topic = rpc.topic();
    await rpc.server(transport, { topic, server: "host-a" }, [calculatorEndpoint]);
    const channel = await broker.channel();
    const { queue } = await channel.assertQueue("", { exclusive: true });
    const calls = [
      { method: "add", args: [1, 2], _msg_id: "array-args", _reply_q: queue },
      {
        method: "add",
        args: { a: 1, b: 2 },
        version: 2,
        _msg_id: "number-version",
        _reply_q: queue,
      },
    ];
    for (const call of calls) channel.publish("openstack", topic, oslo(call), PROPS);
    const replies = (await receive(channel, queue, 2)).map((reply) =>
      JSON.parse(JSON.parse(reply.content.toString())["oslo.message"]),
    );
    for (const id of ["array-args", "number-version"]) {
      const reply = replies.find((r) => r._msg_id === id);
      expect(reply, `a reply to ${id}, so the caller need not wait for its deadline`).toBeDefined();
      expect(JSON.parse(reply.failure)).toMatchObject({
        class: "ValueError",
        module: "builtins",
      });
    }
  });

  it("refuses a target without a server name, which every server of a topic needs", async () => {
    const { transport } = await rpc.sharedTransport();
    await expect(
      rpc.server(transport, { topic: rpc.topic() }, [calculatorEndpoint]),
    ).rejects.toThrow(/server/);
  });
});
