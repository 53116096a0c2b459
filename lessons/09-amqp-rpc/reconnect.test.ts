import { describe, expect, it } from "vitest";
import { useBrokerLinks, useBrokerSession } from "../../shared/broker/testing.js";
import { RpcError } from "../../shared/rpc-error.js";
import { calculatorEndpoint } from "../../shared/oslo-calculator.js";
import { gate, useRpc } from "./harness.js";
import type { Transport } from "./transport.js";

// The client and the server reach the broker through a link the test can cut: their
// connections drop as in a broker restart, in milliseconds, and the broker every other test
// shares stays up. (A real restart, slower, is in faults/09-amqp-rpc-durability.test.ts.)
const links = useBrokerLinks();

const rpc = useRpc();
const session = useBrokerSession();

// Retry every few milliseconds, not after 200 ms and more: a refused attempt costs next to
// nothing, and the test waits for the "reconnected" event, never for a delay.
const QUICK_RETRY = { reconnectDelayMs: 2, maxReconnectDelayMs: 5 };

function nextEvent(transport: Transport, event: string): Promise<unknown> {
  return new Promise((resolve) => transport.once(event, resolve));
}

/** Resolves on "reconnected"; fails with the error if the reconnection loop gives up. */
function reconnection(transport: Transport): Promise<unknown> {
  return new Promise((resolve, reject) => {
    transport.once("reconnected", resolve);
    transport.once("reconnect-failed", reject);
  });
}

describe("task 8: survive a broker restart", () => {
  it("reports the lost connection, fails calls in flight, then reconnects and carries on", async () => {
    const link = await links.open();
    // Two transports, as two processes would have: a server and a client. And a channel that
    // does not go through the link, to play the restarted broker.
    const [server, client, broker] = await Promise.all([
      rpc.transport(link.url, QUICK_RETRY),
      rpc.transport(link.url, QUICK_RETRY),
      session.channel(),
    ]);
    const topic = rpc.topic();
    const never = gate();
    await rpc.server(server.transport, { topic, server: "s1" }, [
      calculatorEndpoint,
      { hang: () => never.promise },
    ]);
    const calc = rpc.client(client.transport, { topic }, { timeoutMs: 20_000 });
    await expect(calc.call({}, "add", { a: 1, b: 2 })).resolves.toBe(3);

    const lost = [
      nextEvent(server.transport, "disconnected"),
      nextEvent(client.transport, "disconnected"),
    ];
    const back = [reconnection(server.transport), reconnection(client.transport)];
    const inFlight = calc.call({}, "hang").catch((e: unknown) => e);
    await server.transport.connection(); // the hang call is published before the cut
    link.down();

    const [reason] = await Promise.all(lost);
    expect(reason, "the loss is reported as an RpcError").toBeInstanceOf(RpcError);
    expect((reason as RpcError).code).toBe("unavailable");
    expect(client.logs.join("\n"), "and logged").toMatch(/lost the connection/);
    const failed = await inFlight;
    expect(failed, "a call in flight fails at once, not at its deadline").toMatchObject({
      code: "unavailable",
    });

    // As a restarted broker would have, it has lost the server's queues: once back, the
    // server must declare them again (and the client consume its reply queue again).
    await Promise.all([broker.deleteQueue(topic), broker.deleteQueue(`${topic}.s1`)]);
    link.up();
    await Promise.all(back);
    await expect(calc.call({}, "add", { a: 2, b: 3 })).resolves.toBe(5);
    await expect(calc.prepare({ server: "s1" }).call({}, "add", { a: 3, b: 4 })).resolves.toBe(7);
    never.open();
  });
});
