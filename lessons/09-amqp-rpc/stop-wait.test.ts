import { describe, expect, it } from "vitest";
import { Executor } from "./executor.js";
import { gate, useRpc } from "./harness.js";

const rpc = useRpc();

describe("task 7: stop and wait", () => {
  it("lets an in-flight call finish: stop() takes no new messages, wait() waits", async () => {
    const { transport } = await rpc.transport();
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
    const waiting = server.wait().then(() => (waited = true));
    // A stopped server takes no new call: this one waits in the queue until its deadline.
    await expect(
      client.call({}, "quick", {}, { timeoutMs: 300 }),
      "after stop(), nothing new may be taken",
    ).rejects.toMatchObject({ code: "deadline_exceeded" });
    expect(waited, "wait() must not return while a call is still running").toBe(false);

    release.open();
    await expect(inFlight, "the call in flight still gets its reply").resolves.toBe("finished");
    await waiting;
    expect(waited).toBe(true);
  });

  it("leaves the messages it did not take to the next server", async () => {
    const { transport } = await rpc.transport();
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
    const { transport } = await rpc.transport();
    const topic = rpc.topic();
    let running = 0;
    let most = 0;
    const release = gate();
    const twoRunning = gate();
    const endpoint = {
      work: async () => {
        running += 1;
        most = Math.max(most, running);
        if (running === 2) twoRunning.open();
        await release.promise;
        running -= 1;
        return "done";
      },
      ping: () => "pong",
    };
    await rpc.server(transport, { topic, server: "s1" }, [endpoint], { executor: new Executor(2) });
    const client = rpc.client(transport, { topic });
    const calls = Array.from({ length: 5 }, () => client.call({}, "work"));
    await twoRunning.promise;
    // Another server's round trip: time for the broker to deliver more, if it were allowed to.
    const other = rpc.topic();
    await rpc.server(transport, { topic: other, server: "s9" }, [endpoint]);
    await expect(rpc.client(transport, { topic: other }).call({}, "ping")).resolves.toBe("pong");
    expect(running, "prefetch and executor hold the rest back").toBe(2);
    release.open();
    await expect(Promise.all(calls)).resolves.toEqual(Array(5).fill("done"));
    expect(most).toBe(2);
  });
});
