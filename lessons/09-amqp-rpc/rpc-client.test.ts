import { describe, expect, it } from "vitest";
import { RpcError } from "../../shared/rpc-error.js";
import { calculatorEndpoint } from "../../shared/oslo-calculator.js";
import { gate, useRpc } from "./harness.js";

const rpc = useRpc();

/** An endpoint that says which server answered, and remembers what it was cast. */
function whoami(name: string, seen: unknown[] = []) {
  return {
    whoami: () => name,
    remember: (_context: unknown, { value }: { value: unknown }) => void seen.push(value),
  };
}

describe("task 6: call, cast and prepare", () => {
  it("calls a method and returns its result", async () => {
    const { transport } = await rpc.sharedTransport();
    const topic = rpc.topic();
    await rpc.server(transport, { topic, server: "s1" }, [calculatorEndpoint]);
    const client = rpc.client(transport, { topic });
    await expect(client.call({}, "add", { a: 1, b: 2 })).resolves.toBe(3);
    await expect(client.call({}, "hello", { name: "Ada" })).resolves.toBe("Hello, Ada!");
    await expect(
      Promise.all([1, 2, 3, 4, 5].map((n) => client.call({}, "multiply", { a: n, b: n }))),
      "concurrent calls share one reply queue and find their own replies by _msg_id",
    ).resolves.toEqual([1, 4, 9, 16, 25]);
  });

  it("carries the context to the endpoint", async () => {
    const { transport } = await rpc.sharedTransport();
    const topic = rpc.topic();
    const endpoint = { whoAsks: (context: Record<string, unknown>) => context.user };
    await rpc.server(transport, { topic, server: "s1" }, [endpoint]);
    const client = rpc.client(transport, { topic });
    await expect(client.call({ user: "ada", project: "p1" }, "whoAsks")).resolves.toBe("ada");
  });

  it("brings a remote exception back with its class name and message", async () => {
    const { transport } = await rpc.sharedTransport();
    const topic = rpc.topic();
    await rpc.server(transport, { topic, server: "s1" }, [calculatorEndpoint]);
    const client = rpc.client(transport, { topic });
    const error = await client.call({}, "divide", { a: 1, b: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({
      code: "remote_error",
      remoteName: "DivisionByZeroError",
      message: "division by zero",
    });
    await expect(client.call({}, "power")).rejects.toMatchObject({
      code: "unknown_method",
      remoteName: "NoSuchMethod",
    });
  });

  it("casts and returns before the method has run", async () => {
    const { transport } = await rpc.sharedTransport();
    const topic = rpc.topic();
    const release = gate();
    const done = gate<unknown>();
    const endpoint = {
      slow: async (_context: unknown, { value }: { value: unknown }) => {
        await release.promise;
        done.open(value);
      },
    };
    await rpc.server(transport, { topic, server: "s1" }, [endpoint]);
    // The method waits for the gate, so the cast can only resolve first if it does not wait.
    await expect(rpc.client(transport, { topic }).cast({}, "slow", { value: 42 })).resolves.toBe(
      undefined,
    );
    release.open();
    await expect(done.promise).resolves.toBe(42);
  });

  it("fails a cast that no queue takes, instead of confirming it and dropping it", async () => {
    const { transport } = await rpc.sharedTransport();
    const topic = rpc.topic();
    const error = await rpc
      .client(transport, { topic })
      .cast({}, "add", { a: 1, b: 2 })
      .catch((e: unknown) => e);
    expect(error, "publish with mandatory: the broker returns what it cannot route").toBeInstanceOf(
      RpcError,
    );
    expect((error as RpcError).code).toBe("unavailable");
  });

  it("fails at once when no server listens: unavailable, not a timeout", async () => {
    const { transport } = await rpc.sharedTransport();
    const topic = rpc.topic();
    const target = topic.replaceAll(".", "\\.");
    // Published mandatory, like a cast: no queue takes it, the broker says so at once.
    const nobody = await rpc
      .client(transport, { topic })
      .call({}, "add", { a: 1, b: 2 })
      .catch((e: unknown) => e);
    expect(nobody, "no server: unavailable, not a timeout").toMatchObject({ code: "unavailable" });
    expect((nobody as RpcError).message, "say which method and which target").toMatch(
      new RegExp(`add.*${target}`),
    );
  });

  // Slow: it waits out a deadline, which has to leave the request time to reach the broker.
  it("fails at its deadline when the server never answers", { tags: ["slow"] }, async () => {
    const { transport } = await rpc.sharedTransport();
    const topic = rpc.topic();
    const client = rpc.client(transport, { topic }, { timeoutMs: 300 });
    const target = topic.replaceAll(".", "\\.");
    const never = gate();
    await rpc.server(transport, { topic, server: "s1" }, [{ add: () => never.promise }]);
    const silent = await client.call({}, "add", { a: 1, b: 2 }).catch((e: unknown) => e);
    never.open();
    expect(silent).toBeInstanceOf(RpcError);
    expect((silent as RpcError).code).toBe("deadline_exceeded");
    expect((silent as RpcError).message, "say which method, which target, which timeout").toMatch(
      new RegExp(`add.*${target}.*300 ms`),
    );
  });

  it("shares calls among the servers of a topic, round robin", async () => {
    // client ──call──▶ exchange "openstack" ──"calc"──▶ queue "calc" ─┬─▶ server s1
    //                                                                 └─▶ server s2
    const { transport } = await rpc.sharedTransport();
    const topic = rpc.topic();
    await Promise.all(
      ["s1", "s2"].map((name) => rpc.server(transport, { topic, server: name }, [whoami(name)])),
    );
    const client = rpc.client(transport, { topic });
    const answers: unknown[] = [];
    for (let i = 0; i < 4; i++) answers.push(await client.call({}, "whoami"));
    expect(answers.filter((a) => a === "s1").length, "each server takes its turn").toBe(2);
    expect(answers.filter((a) => a === "s2").length).toBe(2);
  });

  it("reaches only the named server with prepare({ server })", async () => {
    // client ──"calc.s2"──▶ queue "calc.s2" ──▶ server s2 only
    const { transport } = await rpc.sharedTransport();
    const topic = rpc.topic();
    await Promise.all(
      ["s1", "s2"].map((name) => rpc.server(transport, { topic, server: name }, [whoami(name)])),
    );
    const toS2 = rpc.client(transport, { topic }).prepare({ server: "s2" });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await toS2.call({}, "whoami"));
    expect(answers).toEqual(Array(4).fill("s2"));
  });

  it("fans a cast out to every server of the topic", async () => {
    // client ──▶ exchange "calc_fanout" ─┬─▶ queue "calc_fanout_<id1>" ──▶ s1
    //                                    └─▶ queue "calc_fanout_<id2>" ──▶ s2
    const { transport } = await rpc.sharedTransport();
    const topic = rpc.topic();
    const got = [gate<unknown>(), gate<unknown>()];
    await Promise.all(
      ["s1", "s2"].map((name, i) => {
        const endpoint = {
          refresh: (_c: unknown, { value }: { value: unknown }) => got[i]!.open(value),
        };
        return rpc.server(transport, { topic, server: name }, [endpoint]);
      }),
    );
    await rpc
      .client(transport, { topic })
      .prepare({ fanout: true })
      .cast({}, "refresh", { value: 1 });
    await expect(Promise.all(got.map((g) => g.promise))).resolves.toEqual([1, 1]);
  });

  it("refuses a call with fanout: whose reply would it wait for?", async () => {
    const { transport } = await rpc.sharedTransport();
    const client = rpc.client(transport, { topic: rpc.topic(), fanout: true });
    await expect(client.call({}, "add", { a: 1, b: 2 })).rejects.toMatchObject({
      code: "invalid_argument",
    });
  });

  it("keeps casts sent while no server runs, for the server that starts next", async () => {
    const { transport } = await rpc.sharedTransport();
    const topic = rpc.topic();
    // A first server creates the topic's queue (the queue outlives it), then goes away.
    const first = await rpc.server(transport, { topic, server: "old" }, [whoami("old")]);
    await first.server.stop();
    await first.server.wait();
    const client = rpc.client(transport, { topic });
    await Promise.all([1, 2, 3].map((value) => client.cast({}, "remember", { value })));
    const seen: unknown[] = [];
    const all = gate();
    const endpoint = {
      remember: (_c: unknown, { value }: { value: unknown }) => {
        seen.push(value);
        if (seen.length === 3) all.open();
      },
    };
    await rpc.server(transport, { topic, server: "new" }, [endpoint]);
    await all.promise;
    expect(seen.sort()).toEqual([1, 2, 3]);
  });

  it("asks for a namespace and a version with prepare()", async () => {
    const { transport } = await rpc.sharedTransport();
    const topic = rpc.topic();
    const control = { target: { namespace: "control", version: "2.1" }, ping: () => "pong" };
    await rpc.server(transport, { topic, server: "s1" }, [calculatorEndpoint, control]);
    const client = rpc.client(transport, { topic });
    await expect(
      client.prepare({ namespace: "control", version: "2.0" }).call({}, "ping"),
    ).resolves.toBe("pong");
    await expect(
      client.prepare({ namespace: "control", version: "3.0" }).call({}, "ping"),
    ).rejects.toMatchObject({ code: "unknown_method", remoteName: "UnsupportedVersion" });
    await expect(
      client.call({}, "ping"),
      "ping is not in the default namespace",
    ).rejects.toMatchObject({
      code: "unknown_method",
    });
  });

  it("cancels a call when its signal aborts", async () => {
    const { transport } = await rpc.sharedTransport();
    const topic = rpc.topic();
    const never = gate();
    await rpc.server(transport, { topic, server: "s1" }, [{ hang: () => never.promise }]);
    const controller = new AbortController();
    const call = rpc
      .client(transport, { topic })
      .call({}, "hang", {}, { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: "canceled" });
    never.open();
  });
});
