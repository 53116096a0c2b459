import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { uniqueName } from "../shared/broker/testing.js";
import { osloTransportUrl, useOsloTestbed } from "./oslo-testbed.js";
import { runPython, startPython } from "../shared/testing/python.js";
import { NotificationFilter } from "../solutions/10-notifications/filter.js";
import { NotificationListener, type Metadata } from "../solutions/10-notifications/listener.js";
import { Notifier } from "../solutions/10-notifications/notifier.js";

// Lesson 10 against Python's oslo.messaging notifications, both ways.

const NOTIFY_PY = readFileSync(new URL("./fixtures-10/oslo_notify.py", import.meta.url), "utf8");
const LISTEN_PY = readFileSync(new URL("./fixtures-10/oslo_listener.py", import.meta.url), "utf8");
const { cleanups, transport } = useOsloTestbed();

describe("Python's oslo.messaging Notifier → our listener", () => {
  it("delivers every priority with its fields, context and filters", async () => {
    const t = await transport();
    const topic = uniqueName("notifications");
    const seen: Record<string, unknown>[] = [];
    const instanceEvents: string[] = [];
    let allArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (allArrived = resolve));
    const record =
      (priority: string) =>
      (
        context: unknown,
        publisherId: string,
        eventType: string,
        payload: unknown,
        metadata: Metadata,
      ) => {
        seen.push({ priority, context, publisherId, eventType, payload, metadata });
        if (seen.length === 3) allArrived();
      };
    const listener = new NotificationListener(
      t,
      [{ topic }],
      [
        {
          filterRule: new NotificationFilter({ eventType: "compute\\.instance\\." }),
          info: (_c, _p, eventType) => void instanceEvents.push(eventType),
        },
        { info: record("info"), error: record("error"), sample: record("sample") },
      ],
      { log: () => {} },
    );
    await listener.start();
    cleanups.push(async () => {
      await listener.stop();
      await listener.wait();
    });
    await runPython(NOTIFY_PY, [
      osloTransportUrl(),
      topic,
      JSON.stringify([
        {
          priority: "info",
          publisher_id: "compute.host1",
          event_type: "compute.instance.create.end",
          payload: { id: 1 },
          ctxt: { user: "ada" },
        },
        {
          priority: "error",
          publisher_id: "compute.host1",
          event_type: "compute.instance.create.error",
          payload: { id: 2 },
        },
        {
          priority: "sample",
          publisher_id: "compute.host2",
          event_type: "cpu.load",
          payload: { percent: 70 },
        },
      ]),
    ]);
    await arrived;
    const byPriority = Object.fromEntries(seen.map((s) => [s.priority, s]));
    expect(byPriority.info).toMatchObject({
      publisherId: "compute.host1",
      eventType: "compute.instance.create.end",
      payload: { id: 1 },
      context: { user: "ada" },
    });
    expect((byPriority.info!.metadata as Metadata).timestamp, "Python's timestamp").toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/,
    );
    expect(byPriority.error).toMatchObject({ eventType: "compute.instance.create.error" });
    expect(byPriority.sample).toMatchObject({
      publisherId: "compute.host2",
      payload: { percent: 70 },
    });
    expect(instanceEvents).toEqual(["compute.instance.create.end"]);
  });
});

describe("our Notifier → Python's oslo.messaging listener", () => {
  it("is understood field by field, and passes Python's NotificationFilter", async () => {
    const t = await transport();
    const topic = uniqueName("notifications");
    const peer = await startPython(LISTEN_PY, [osloTransportUrl(), topic, "3"]);
    cleanups.push(() => peer.stop());
    const lines: Record<string, unknown>[] = [];
    const exited = new Promise<void>((resolve) => peer.process.once("exit", () => resolve()));
    createInterface({ input: peer.process.stdout! }).on("line", (line) => {
      if (line.startsWith("{")) lines.push(JSON.parse(line));
    });
    const notifier = new Notifier(t, { publisherId: "compute.host1", topics: [topic] });
    await notifier.info({ user: "ada" }, "compute.instance.create.end", { id: 1 });
    await notifier.warn({}, "disk.low", { free_gb: 3 });
    await notifier
      .prepare({ publisherId: "compute.host2" })
      .critical({}, "host.down", { host: "h2" });
    await exited;
    const printed = lines.filter((l) => "priority" in l);
    expect(printed.map((l) => l.priority).sort()).toEqual(["critical", "info", "warn"]);
    const info = printed.find((l) => l.priority === "info")!;
    expect(info).toMatchObject({
      ctxt: { user: "ada" },
      publisher_id: "compute.host1",
      event_type: "compute.instance.create.end",
      payload: { id: 1 },
    });
    expect((info.metadata as Metadata).message_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(printed.find((l) => l.priority === "critical")!.publisher_id).toBe("compute.host2");
    expect(
      lines.filter((l) => "filtered" in l),
      "Python's filter_rule sees our event type",
    ).toEqual([{ filtered: "compute.instance.create.end" }]);
  });
});
