import type { GetMessage } from "amqplib";
import { describe, expect, it } from "vitest";
import { useBrokerSession } from "../../shared/broker/testing.js";
import { useNotifications } from "./harness.js";
import { Notifier, PRIORITIES } from "./notifier.js";

const notifications = useNotifications();
const broker = useBrokerSession();

/**
 * The message waiting in `queue`. notify() resolves once the broker has taken the message, so it
 * is there already: one request, not a consumer to wait on.
 */
async function take(queue: string): Promise<GetMessage> {
  const message = await (await broker.channel()).get(queue, { noAck: true });
  const hint = `a notification waiting in "${queue}" once notify() has resolved`;
  expect(message, hint).not.toBe(false);
  return message as GetMessage;
}

/** The notification inside a message: two JSON layers, as in lesson 9. */
function open(content: Buffer): Record<string, unknown> {
  const envelope = JSON.parse(content.toString());
  expect(envelope["oslo.version"], "notifications travel in the oslo envelope").toBe("2.0");
  return JSON.parse(envelope["oslo.message"]);
}

describe("task 1: send a notification", () => {
  it('publishes to "<topic>.info" with oslo\'s fields', async () => {
    const transport = await notifications.transport();
    const topic = notifications.topic();
    const notifier = new Notifier(transport, { publisherId: "compute.host1", topics: [topic] });
    await notifier.info({ user: "ada" }, "compute.instance.create.end", { instance_id: 12 });
    // Nobody listened yet: the notifier declared the queue itself, so the message waited.
    const message = await take(`${topic}.info`);
    expect(message.fields.exchange, 'the default exchange is "openstack"').toBe("openstack");
    const body = open(message.content);
    expect(body).toMatchObject({
      publisher_id: "compute.host1",
      event_type: "compute.instance.create.end",
      priority: "INFO",
      payload: { instance_id: 12 },
      _context_user: "ada",
    });
    expect(body.message_id, "a uuid4, with dashes").toMatch(/^[0-9a-f-]{36}$/);
    expect(body.timestamp, "UTC, as Python prints it").toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/,
    );
  });

  it("never forwards an auth token: only oslo's safe context keys travel", async () => {
    const transport = await notifications.transport();
    const topic = notifications.topic();
    const notifier = new Notifier(transport, { publisherId: "svc", topics: [topic] });
    const context = { user_id: "u1", project_id: "p1", request_id: "req-1", auth_token: "s3cret" };
    await notifier.info({ ...context, password: "hunter2", auth_token_info: { a: 1 } }, "x", {});
    const message = await take(`${topic}.info`);
    const text = message.content.toString();
    expect(text, "an auth token must not reach the notification bus").not.toContain("s3cret");
    expect(text).not.toContain("hunter2");
    expect(open(message.content)).toMatchObject({
      _context_user_id: "u1",
      _context_project_id: "p1",
      _context_request_id: "req-1",
    });
  });

  it.each(PRIORITIES)("sends %s to its own topic, with the priority in upper case", async (p) => {
    const transport = await notifications.transport();
    const topic = notifications.topic();
    const notifier = new Notifier(transport, { publisherId: "svc", topics: [topic] });
    await notifier[p]({}, "thing.happened", { p });
    const message = await take(`${topic}.${p}`);
    expect(message.fields.routingKey).toBe(`${topic}.${p}`);
    expect(open(message.content).priority).toBe(p.toUpperCase());
  });

  it("sends to every configured topic", async () => {
    const transport = await notifications.transport();
    const [a, b] = [notifications.topic(), notifications.topic()];
    await new Notifier(transport, { publisherId: "svc", topics: [a, b] }).error({}, "x.failed", {});
    await take(`${a}.error`);
    await take(`${b}.error`);
  });

  it("prepare() speaks as another publisher", async () => {
    const transport = await notifications.transport();
    const topic = notifications.topic();
    const notifier = new Notifier(transport, { publisherId: "compute", topics: [topic] });
    await notifier.prepare({ publisherId: "compute.host2" }).warn({}, "disk.low", { free: 1 });
    const message = await take(`${topic}.warn`);
    expect(open(message.content).publisher_id).toBe("compute.host2");
  });
});
