import { describe, expect, it } from "vitest";
import { useBrokerSession } from "../../shared/broker/testing.js";
import { Executor } from "../../solutions/09-amqp-rpc/executor.js";
import { NotificationFilter } from "./filter.js";
import { collector, useNotifications } from "./harness.js";
import type { Metadata } from "./listener.js";
import { Notifier } from "./notifier.js";

const notifications = useNotifications();
const broker = useBrokerSession();

type Seen = {
  context: unknown;
  publisherId: string;
  eventType: string;
  payload: unknown;
  metadata: Metadata;
};

/** An endpoint method that records what it is given. */
function recorder(into: { push(item: Seen): void }) {
  return (
    context: unknown,
    publisherId: string,
    eventType: string,
    payload: unknown,
    metadata: Metadata,
  ) => into.push({ context, publisherId, eventType, payload, metadata });
}

describe("task 3: listen by priority", () => {
  it("hands each notification to the endpoint method of its priority", async () => {
    //  notifier ──"<topic>.info"──▶ queue "<topic>.info" ──▶ endpoint.info(...)
    //           ──"<topic>.error"─▶ queue "<topic>.error" ─▶ endpoint.error(...)
    const transport = await notifications.transport();
    const topic = notifications.topic();
    const infos = collector<Seen>();
    const errors = collector<Seen>();
    await notifications.listener(
      transport,
      [{ topic }],
      [{ info: recorder(infos), error: recorder(errors) }],
    );
    const notifier = new Notifier(transport, { publisherId: "compute.host1", topics: [topic] });
    await notifier.info({ user: "ada" }, "compute.instance.create.end", { id: 1 });
    await notifier.error({}, "compute.instance.create.error", { id: 2 });
    const [info] = await infos.until(1);
    expect(info).toMatchObject({
      context: { user: "ada" },
      publisherId: "compute.host1",
      eventType: "compute.instance.create.end",
      payload: { id: 1 },
    });
    expect(info!.metadata.message_id, "metadata carries message_id and timestamp").toBeTypeOf(
      "string",
    );
    expect(info!.metadata.timestamp).toBeTypeOf("string");
    const [error] = await errors.until(1);
    expect(error!.payload).toEqual({ id: 2 });
  });

  it("consumes only the priorities its endpoints have", async () => {
    const transport = await notifications.transport();
    const topic = notifications.topic();
    const infos = collector<Seen>();
    const { listener } = await notifications.listener(
      transport,
      [{ topic }],
      [{ info: recorder(infos) }],
    );
    expect(listener.priorities).toEqual(["info"]);
    const notifier = new Notifier(transport, { publisherId: "svc", topics: [topic] });
    await notifier.warn({}, "disk.low", {});
    await notifier.info({}, "disk.ok", {});
    await infos.until(1);
    const channel = await broker.channel();
    const { messageCount, consumerCount } = await channel.checkQueue(`${topic}.warn`);
    expect(consumerCount, "nobody here wants warnings").toBe(0);
    expect(messageCount, "the warning waits for a listener that wants it").toBe(1);
  });

  it("delivers notifications sent before the listener started", async () => {
    const transport = await notifications.transport();
    const topic = notifications.topic();
    const notifier = new Notifier(transport, { publisherId: "svc", topics: [topic] });
    for (const n of [1, 2, 3]) await notifier.info({}, "early.bird", { n });
    const infos = collector<Seen>();
    await notifications.listener(transport, [{ topic }], [{ info: recorder(infos) }]);
    const seen = await infos.until(3);
    expect(seen.map((s) => (s.payload as { n: number }).n).sort()).toEqual([1, 2, 3]);
  });

  it("applies each endpoint's filterRule: by event type and by publisher", async () => {
    const transport = await notifications.transport();
    const topic = notifications.topic();
    const all = collector<Seen>();
    const instances = collector<Seen>();
    const fromHost2 = collector<Seen>();
    await notifications.listener(
      transport,
      [{ topic }],
      [
        {
          info: recorder(instances),
          filterRule: new NotificationFilter({ eventType: "compute\\.instance\\." }),
        },
        {
          info: recorder(fromHost2),
          filterRule: new NotificationFilter({ publisherId: "^compute\\.host2$" }),
        },
        { info: recorder(all) }, // last: when it has seen all three, so have the others
      ],
    );
    const host1 = new Notifier(transport, { publisherId: "compute.host1", topics: [topic] });
    const host2 = host1.prepare({ publisherId: "compute.host2" });
    await host1.info({}, "compute.instance.create.end", {});
    await host1.info({}, "compute.volume.attach", {});
    await host2.info({}, "compute.metrics.update", {});
    await all.until(3);
    expect(instances.items.map((s) => s.eventType)).toEqual(["compute.instance.create.end"]);
    expect(fromHost2.items.map((s) => s.eventType)).toEqual(["compute.metrics.update"]);
  });

  it("gives every pool its own copy, while listeners of one pool share", async () => {
    //                         ┌─▶ queue "audit" ───▶ listener A
    //  exchange ─"<t>.info"───┤
    //                         └─▶ queue "billing" ─┬─▶ listener B1
    //                                              └─▶ listener B2
    const transport = await notifications.transport();
    const topic = notifications.topic();
    const a = collector<Seen>();
    const b = collector<Seen>();
    const pools = [notifications.topic(), notifications.topic()];
    await Promise.all(
      [
        { pool: pools[0], into: a },
        { pool: pools[1], into: b },
        { pool: pools[1], into: b },
      ].map(({ pool, into }) =>
        notifications.listener(transport, [{ topic }], [{ info: recorder(into) }], { pool }),
      ),
    );
    const notifier = new Notifier(transport, { publisherId: "svc", topics: [topic] });
    await Promise.all([1, 2, 3, 4].map((n) => notifier.info({}, "tick", { n })));
    await expect(a.until(4), "pool A gets all four").resolves.toHaveLength(4);
    await expect(
      b.until(4),
      "pool B gets all four, split between its listeners",
    ).resolves.toHaveLength(4);
  });

  it("rejects a malformed notification, logs it, and keeps listening", async () => {
    const transport = await notifications.transport();
    const topic = notifications.topic();
    const infos = collector<Seen>();
    const { logs } = await notifications.listener(
      transport,
      [{ topic }],
      [{ info: recorder(infos) }],
    );
    const channel = await broker.channel();
    const props = { contentType: "application/json" };
    channel.publish("openstack", `${topic}.info`, Buffer.from("not json"), props);
    channel.publish("openstack", `${topic}.info`, Buffer.from('{"oslo.version": "2.0"}'), props);
    await channel.checkQueue(`${topic}.info`); // a round trip: both are on the broker
    await new Notifier(transport, { publisherId: "svc", topics: [topic] }).info({}, "fine", {});
    await infos.until(1);
    expect(infos.items.map((s) => s.eventType)).toEqual(["fine"]);
    expect(
      logs.filter((l) => /malformed/.test(l)),
      "log each rejected message",
    ).toHaveLength(2);
  });

  it("settles every message, even past its prefetch window of poison whose fields are objects", async () => {
    const transport = await notifications.transport();
    const topic = notifications.topic();
    const infos = collector<Seen>();
    // A window of 4: the broker hands the listener no more than 4 unsettled messages at once.
    const { logs } = await notifications.listener(
      transport,
      [{ topic }],
      [{ info: recorder(infos) }],
      { executor: new Executor(4) },
    );
    // { "toString": 1 } where a string belongs: String() of it throws. 10 of them are more than
    // the listener's prefetch window; left unacked, they would stop it for good.
    const poison = JSON.stringify({
      "oslo.version": "2.0",
      "oslo.message": JSON.stringify({
        priority: "INFO",
        event_type: "x",
        publisher_id: { toString: 1 },
        payload: {},
      }),
    });
    const channel = await broker.channel();
    for (let i = 0; i < 10; i++) {
      channel.publish("openstack", `${topic}.info`, Buffer.from(poison), {
        contentType: "application/json",
      });
    }
    await channel.checkQueue(`${topic}.info`);
    await new Notifier(transport, { publisherId: "svc", topics: [topic] }).info({}, "fine", {});
    await infos.until(1);
    expect(infos.items.map((s) => s.eventType)).toEqual(["fine"]);
    expect(logs.filter((l) => /malformed/.test(l)).length).toBe(10);
  });

  it("requeues when an endpoint fails and allowRequeue is on, and carries on", async () => {
    const transport = await notifications.transport();
    const topic = notifications.topic();
    const attempts = collector<number>();
    let failures = 0;
    const endpoint = {
      info: () => {
        attempts.push(1);
        if (failures++ === 0) throw new Error("database busy");
      },
    };
    const { logs } = await notifications.listener(transport, [{ topic }], [endpoint], {
      allowRequeue: true,
    });
    await new Notifier(transport, { publisherId: "svc", topics: [topic] }).info({}, "retry.me", {});
    await expect(attempts.until(2), "the failed notification comes back").resolves.toHaveLength(2);
    expect(logs.join("\n")).toMatch(/database busy/);
  });
});
