import { describe, expect, it } from "vitest";
import { calculatorEndpoint } from "../shared/oslo-calculator.js";
import { useRpc } from "../lessons/09-amqp-rpc/harness.js";

/**
 * Lesson 9's client with deadlines longer than Node's timers hold (2^31 - 1 ms, about 24.8
 * days): past it a timer fires after 1 ms, so a long deadline must not end a call at once.
 */
const rpc = useRpc();
const DAYS_25 = 25 * 24 * 3600 * 1000;

describe("a deadline of 25 days", () => {
  it("lets a cast and a call through, and a call with no deadline at all", async () => {
    const { transport } = await rpc.transport();
    const topic = rpc.topic();
    await rpc.server(transport, { topic, server: "s1" }, [calculatorEndpoint]);
    const client = rpc.client(transport, { topic }, { timeoutMs: DAYS_25 });
    await expect(client.cast({}, "add", { a: 1, b: 2 })).resolves.toBeUndefined();
    await expect(client.call({}, "add", { a: 1, b: 2 })).resolves.toBe(3);
    await expect(client.call({}, "add", { a: 2, b: 2 }, { timeoutMs: Infinity })).resolves.toBe(4);
  });
});
