import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { calculator, type Calculator } from "../../shared/calculator.js";
import { RpcError } from "../../shared/rpc-error.js";
import { listenOnFreePort, type RunningServer } from "../../shared/testing/servers.js";
import { JsonRpcClient } from "./client.js";
import { createJsonRpcServer } from "./server.js";

const running: RunningServer[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function start(server: Server): Promise<string> {
  const listening = await listenOnFreePort(server);
  running.push(listening);
  return `http://127.0.0.1:${listening.port}/`;
}

function client(url: string): JsonRpcClient {
  const made = new JsonRpcClient(url);
  cleanups.push(() => made.close());
  return made;
}

/** A server of another make, answering every POST with whatever `answer` returns. */
function foreignServer(answer: (body: any) => { status?: number; text: string }): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const { status = 200, text } = answer(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      res.writeHead(status, {
        "Content-Type": "application/json-rpc",
        "Content-Length": String(Buffer.byteLength(text)),
      });
      res.end(text);
    });
  });
}

describe("task 5: a client and its stub", () => {
  it("calls with positional and with named params", async () => {
    const calc = client(await start(createJsonRpcServer(calculator)));
    expect(await calc.call("add", [1, 2])).toBe(3);
    await expect(calc.call("subtract", { b: 3, a: 5 })).resolves.toBe(2);
    await expect(calc.call("hello", ["世界"])).resolves.toBe("Hello, 世界!");
  });

  it("sends a JSON-RPC 2.0 request object", async () => {
    const seen: unknown[] = [];
    const url = await start(
      foreignServer((body) => {
        seen.push(body);
        return { text: JSON.stringify({ jsonrpc: "2.0", result: "ok", id: body.id }) };
      }),
    );
    await client(url).call("add", [1, 2]);
    expect(seen[0]).toEqual({
      jsonrpc: "2.0",
      method: "add",
      params: [1, 2],
      id: expect.anything(),
    });
  });

  it("makes a stub whose methods are remote calls", async () => {
    const calc = client(await start(createJsonRpcServer(calculator))).stub<Calculator>();
    await expect(calc.add(1, 2)).resolves.toBe(3);
    await expect(calc.subtract(5, 3), "argument order survives the trip").resolves.toBe(2);
    await expect(calc.hello("Ada")).resolves.toBe("Hello, Ada!");
  });

  it("turns JSON-RPC errors into RpcErrors", async () => {
    const calc = client(await start(createJsonRpcServer(calculator)));
    await expect(calc.call("divide", [1, 0])).rejects.toMatchObject({
      code: "remote_error",
      remoteName: "DivisionByZeroError",
      message: "division by zero",
    });
    await expect(calc.call("__proto__", [])).rejects.toMatchObject({ code: "unknown_method" });
    await expect(calc.call("add", ["1", 2])).rejects.toMatchObject({ code: "invalid_argument" });
    const error = await calc.call("power", [2, 8]).catch((e: unknown) => e);
    expect(error, "reject with the course's RpcError").toBeInstanceOf(RpcError);
    expect((error as RpcError).cause, "keep the JSON-RPC error object as the cause").toMatchObject({
      code: -32601,
    });
  });

  it("sends a notification, which the server runs and does not answer", async () => {
    const said: string[] = [];
    const url = await start(createJsonRpcServer({ say: (text: string) => void said.push(text) }));
    await expect(client(url).notify("say", ["hi"])).resolves.toBeUndefined();
    expect(said).toEqual(["hi"]);
  });

  it("accepts an empty 200 for a notification, as Python's jsonrpclib sends", async () => {
    const url = await start(foreignServer(() => ({ text: "" })));
    await expect(client(url).notify("anything", [1])).resolves.toBeUndefined();
  });

  it("sends a batch and gives back one outcome per entry, in order", async () => {
    const said: string[] = [];
    const url = await start(
      createJsonRpcServer({ ...calculator, say: (t: string) => void said.push(t) }),
    );
    const outcomes = await client(url).batch([
      { method: "add", params: [1, 2] },
      { method: "say", params: ["hello"], notification: true },
      { method: "divide", params: [1, 0] },
      { method: "subtract", params: { a: 10, b: 4 } },
    ]);
    expect(outcomes).toHaveLength(4);
    expect(outcomes[0]).toEqual({ status: "fulfilled", value: 3 });
    expect(outcomes[1], "a notification has nothing to give back").toEqual({
      status: "fulfilled",
      value: undefined,
    });
    expect(outcomes[2]).toMatchObject({
      status: "rejected",
      reason: { code: "remote_error", remoteName: "DivisionByZeroError" },
    });
    expect(outcomes[3]).toEqual({ status: "fulfilled", value: 6 });
    expect(said).toEqual(["hello"]);
  });

  it("matches batch replies to calls by id, whatever their order", async () => {
    const url = await start(
      foreignServer((batch: { id: number; params: number[] }[]) => ({
        text: JSON.stringify(
          batch.map((r) => ({ jsonrpc: "2.0", result: r.params[0]! * 10, id: r.id })).reverse(),
        ),
      })),
    );
    const outcomes = await client(url).batch([
      { method: "x", params: [1] },
      { method: "x", params: [2] },
      { method: "x", params: [3] },
    ]);
    expect(outcomes.map((o) => (o.status === "fulfilled" ? o.value : o.reason))).toEqual([
      10, 20, 30,
    ]);
  });

  it("sends a batch of notifications only, and accepts no reply", async () => {
    const said: string[] = [];
    const url = await start(createJsonRpcServer({ say: (t: string) => void said.push(t) }));
    const outcomes = await client(url).batch([
      { method: "say", params: ["a"], notification: true },
      { method: "say", params: ["b"], notification: true },
    ]);
    expect(outcomes).toHaveLength(2);
    expect(said.sort()).toEqual(["a", "b"]);
  });

  it("rejects every entry, notifications too, of a batch the server refuses whole", async () => {
    const said: string[] = [];
    const url = await start(
      createJsonRpcServer(
        { ...calculator, say: (t: string) => void said.push(t) },
        {
          maxBatchLength: 2,
        },
      ),
    );
    const outcomes = await client(url).batch([
      { method: "add", params: [1, 2] },
      { method: "say", params: ["hello"], notification: true },
      { method: "add", params: [3, 4] },
    ]);
    expect(said, "a batch refused whole runs nothing").toEqual([]);
    expect(
      outcomes.map((o) => o.status),
      "nothing ran: say so for each entry",
    ).toEqual(["rejected", "rejected", "rejected"]);
    expect(outcomes[1]).toMatchObject({ reason: { code: "bad_message" } });
  });

  it("refuses a reply for another id, or one that is not JSON", async () => {
    const wrongId = await start(
      foreignServer(() => ({ text: '{"jsonrpc": "2.0", "result": 1, "id": 999}' })),
    );
    await expect(client(wrongId).call("x", [])).rejects.toMatchObject({ code: "bad_message" });
    const garbage = await start(foreignServer(() => ({ text: "<html>oops</html>" })));
    await expect(client(garbage).call("x", [])).rejects.toMatchObject({ code: "bad_message" });
  });

  it("reports a refused body as too_large", async () => {
    const calc = client(await start(createJsonRpcServer(calculator, { maxBodyBytes: 100 })));
    await expect(calc.call("hello", ["x".repeat(500)])).rejects.toMatchObject({
      code: "too_large",
    });
  });

  it("makes twenty calls over one TCP connection", async () => {
    const server = createJsonRpcServer(calculator);
    let connections = 0;
    server.on("connection", () => (connections += 1));
    const calc = client(await start(server));
    for (let i = 0; i < 20; i++) await calc.call("add", [i, i]);
    expect(connections, "use lesson 4's sendHttp with a keep-alive agent").toBe(1);
  });

  it("gives up after timeoutMs with deadline_exceeded", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    cleanups.push(release);
    const calc = client(await start(createJsonRpcServer({ hold: () => held })));
    await expect(calc.call("hold", [], { timeoutMs: 50 })).rejects.toMatchObject({
      code: "deadline_exceeded",
    });
  });

  it("reports a server that is not there as unavailable", async () => {
    const gone = await listenOnFreePort(createServer());
    await gone.close();
    await expect(
      client(`http://127.0.0.1:${gone.port}/`).call("add", [1, 2]),
    ).rejects.toMatchObject({
      code: "unavailable",
    });
  });
});
