import { describe, expect, it } from "vitest";
import { useOwnBroker } from "../../shared/broker/testing.js";
import { RpcError } from "../../shared/rpc-error.js";
import { calculatorEndpoint } from "../../shared/oslo-calculator.js";
import { gate, useRpc } from "./harness.js";
import type { Transport } from "./transport.js";

// This file restarts its broker, so it starts one of its own: the shared one stays up for
// every other test file.
const own = useOwnBroker();

const rpc = useRpc();

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
    // Two transports, as two processes would have: a server and a client.
    const server = await rpc.transport(own.broker.url);
    const client = await rpc.transport(own.broker.url);
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
    await own.broker.restart();

    const [reason] = await Promise.all(lost);
    expect(reason, "the loss is reported as an RpcError").toBeInstanceOf(RpcError);
    expect((reason as RpcError).code).toBe("unavailable");
    expect(client.logs.join("\n"), "and logged").toMatch(/lost the connection/);
    const failed = await inFlight;
    expect(failed, "a call in flight fails at once, not at its deadline").toMatchObject({
      code: "unavailable",
    });

    await Promise.all(back);
    // The restarted broker lost every queue: the server declared its own again, the
    // client its reply queue.
    await expect(calc.call({}, "add", { a: 2, b: 3 })).resolves.toBe(5);
    await expect(calc.prepare({ server: "s1" }).call({}, "add", { a: 3, b: 4 })).resolves.toBe(7);
    never.open();
  }, 90_000);
});
