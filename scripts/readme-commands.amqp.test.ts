import amqp from "amqplib";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { findBroker } from "../bench/harness/broker.js";
import { findExistingBroker } from "../shared/broker/find-broker.js";
import type {} from "../shared/broker/provided-context.js";
import { startPrivateBroker } from "../shared/broker/rabbitmq.js";
import { expectWhatItShows, needsBroker, readmeUnits, runUnit } from "./testing/readme-commands.js";

/**
 * The READMEs' commands that need RabbitMQ (lessons 8–10, rabbit:// and amqp:// URLs), run as
 * written against a real broker: the run's own (the broker project provides one), AMQP_URL or
 * the one `npm run broker` runs, or else a private one started for this file.
 */
let amqpUrl = "";
let stopBroker = async () => {};

beforeAll(async () => {
  const provided = inject("amqpUrl");
  if (provided) {
    amqpUrl = provided;
    return;
  }
  const existing = await findExistingBroker();
  if (existing && "url" in existing) {
    amqpUrl = existing.url;
    return;
  }
  const broker = await startPrivateBroker();
  amqpUrl = broker.url;
  stopBroker = () => broker.stop();
}, 120_000);

afterAll(() => stopBroker(), 60_000);

describe("the READMEs' commands that need a broker", { timeout: 300_000 }, () => {
  it.each(
    readmeUnits()
      .filter(needsBroker)
      .map((u) => [u.shownAt[0]!, u] as const),
  )("%s", async (_at, unit) => {
    const { ran } = await runUnit(unit, { amqpUrl });
    expect(ran.length, "the unit ran something").toBeGreaterThan(0);
    for (const { command, code, output } of ran) {
      expect(code, `${command} (shown at ${unit.shownAt.join(", ")}):\n${output}`).toBe(0);
      expectWhatItShows(command, output);
    }
  });
});

describe("npm run bench and a broker that is already running", () => {
  it("uses the broker at AMQP_URL, says so, and leaves it running", async () => {
    const found = await findBroker({ AMQP_URL: amqpUrl });
    expect("url" in found && found.url).toBe(amqpUrl);
    if (!("url" in found)) return;
    expect(found.describe).toContain("using the broker at AMQP_URL");
    await found.stop();
    const connection = await amqp.connect(amqpUrl);
    await connection.close();
  });
});
