import { describe, expect, it } from "vitest";
import { Inbox, useBrokerSession } from "../../shared/broker/testing.js";
import { Executor } from "./executor.js";
import { gate, useRpc } from "./harness.js";

const rpc = useRpc();
const broker = useBrokerSession();

/** Messages waiting in the queue, not handed to any consumer: as the broker counts them. */
async function waiting(queue: string): Promise<number> {
  const { messageCount } = await (await broker.channel()).checkQueue(queue);
  return messageCount;
}

describe("task 7: stop and wait", () => {
  it("lets an in-flight call finish: stop() takes no new messages, wait() waits", async () => {
    const { transport } = await rpc.sharedTransport();
    const topic = rpc.topic();
    const started = gate();
    const release = gate();
    const endpoint = {
      slow: async () => {
        started.open();
        await release.promise;
        return "finished";
      },
      quick: () => "quick",
    };
    const { server } = await rpc.server(transport, { topic, server: "s1" }, [endpoint]);
    const client = rpc.client(transport, { topic });
    const inFlight = client.call({}, "slow");
    await started.promise;

    await server.stop();
    let waited = false;
    const waitedFor = server.wait().then(() => (waited = true));
    // Once the cast is confirmed it is in the queue: a server still consuming would have been
    // handed it then, so the broker would no longer count it as waiting.
    await client.cast({}, "quick");
    expect(await waiting(topic), "after stop(), nothing new may be taken").toBe(1);
    expect(waited, "wait() must not return while a call is still running").toBe(false);

    release.open();
    await expect(inFlight, "the call in flight still gets its reply").resolves.toBe("finished");
    await waitedFor;
    expect(waited).toBe(true);
  });

  it("leaves the messages it did not take to the next server", async () => {
    const { transport } = await rpc.sharedTransport();
    const topic = rpc.topic();
    const first = await rpc.server(transport, { topic, server: "s1" }, [{ who: () => "s1" }]);
    await first.server.stop();
    await first.server.wait();
    const client = rpc.client(transport, { topic });
    const pending = client.call({}, "who");
    await rpc.server(transport, { topic, server: "s2" }, [{ who: () => "s2" }]);
    await expect(pending).resolves.toBe("s2");
  });

  it("runs no more requests at once than its executor allows", async () => {
    const { transport } = await rpc.sharedTransport();
    const topic = rpc.topic();
    let running = 0;
    let most = 0;
    const release = gate();
    const twoRunning = gate();
    const finished = new Inbox<void>();
    const endpoint = {
      work: async () => {
        running += 1;
        most = Math.max(most, running);
        if (running === 2) twoRunning.open();
        await release.promise;
        running -= 1;
        finished.push();
      },
    };
    await rpc.server(transport, { topic, server: "s1" }, [endpoint], { executor: new Executor(2) });
    // Casts: each resolves once its message is in the queue, so all five are there to take.
    const client = rpc.client(transport, { topic });
    await Promise.all(Array.from({ length: 5 }, () => client.cast({}, "work")));
    await twoRunning.promise;
    // A round trip through the broker on the server's connection: time for the broker to hand
    // the server more, and for the server to start them, if it did not hold them back.
    await (await (await transport.connection()).createChannel()).close();
    expect(running, "prefetch and executor hold the rest back").toBe(2);
    release.open();
    await finished.atLeast(5, { what: "requests finished" });
    expect(most).toBe(2);
  });
});
