import { request, type IncomingHttpHeaders } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import { calculator } from "../../shared/calculator.js";
import { listenOnFreePort, type RunningServer } from "../../shared/testing/servers.js";
import { Dispatcher } from "./dispatcher.js";
import { createJsonRpcServer, type JsonRpcServerOptions } from "./server.js";

// The server's tests speak raw HTTP and JSON text, so they do not depend on your client
// (task 5). Many are the examples of the JSON-RPC 2.0 specification, word for word:
// https://www.jsonrpc.org/specification#examples

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function start(target: object, options: JsonRpcServerOptions = {}): Promise<number> {
  const server = await listenOnFreePort(createJsonRpcServer(target, options));
  running.push(server);
  return server.port;
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: any;
}

/** POSTs the text as it is, on a fresh connection. */
function post(port: number, text: string, method = "POST"): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(text, "utf8");
    const req = request({
      host: "127.0.0.1",
      port,
      method,
      path: "/",
      agent: false,
      headers: { "Content-Type": "application/json", "Content-Length": String(body.length) },
    });
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = text === "" ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.end(body);
  });
}

/** The specification's examples leave `data` out; ours carries a detail there. Compare without it. */
function withoutData(reply: unknown): unknown {
  if (Array.isArray(reply)) return reply.map(withoutData);
  if (reply && typeof reply === "object" && "error" in reply) {
    const { data: _data, ...error } = (reply as { error: Record<string, unknown> }).error;
    return { ...reply, error };
  }
  return reply;
}

function expectReply(reply: Reply, expected: unknown) {
  expect(reply.status, `HTTP 200 for any reply, even an error; the body was: ${reply.text}`).toBe(
    200,
  );
  expect(reply.headers["content-type"]).toMatch(/^application\/json/);
  expect(withoutData(reply.json)).toEqual(expected);
}

function expectNoReply(reply: Reply) {
  // server.ts answers "nothing" as 200 with an empty body: jsonrpclib accepts nothing else.
  expect(reply.status, `nothing to answer is an empty 200; the body was: ${reply.text}`).toBe(200);
  expect(reply.text, "a notification gets no reply at all").toBe("");
}

/** The methods the specification's examples call. */
function specService() {
  const notified: unknown[][] = [];
  return {
    notified,
    service: {
      subtract(minuend: number, subtrahend: number) {
        return minuend - subtrahend;
      },
      sum(...numbers: number[]) {
        return numbers.reduce((total, n) => total + n, 0);
      },
      update(...values: number[]) {
        notified.push(["update", ...values]);
      },
      notify_hello(value: number) {
        notified.push(["notify_hello", value]);
      },
      get_data() {
        return ["hello", 5];
      },
    },
  };
}

describe("task 2: answer one call", () => {
  it("answers a call without any transport: request text in, reply text out", async () => {
    const reply = await new Dispatcher(calculator).handle(
      '{"jsonrpc": "2.0", "method": "add", "params": [1, 2], "id": 1}',
    );
    expect(JSON.parse(reply ?? "null")).toEqual({ jsonrpc: "2.0", result: 3, id: 1 });
  });

  it("answers the specification's calls with positional params", async () => {
    const port = await start(specService().service);
    expectReply(
      await post(port, '{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}'),
      {
        jsonrpc: "2.0",
        result: 19,
        id: 1,
      },
    );
    expectReply(
      await post(port, '{"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2}'),
      {
        jsonrpc: "2.0",
        result: -19,
        id: 2,
      },
    );
  });

  it("answers the specification's calls with named params, in any order", async () => {
    const port = await start(specService().service);
    expectReply(
      await post(
        port,
        '{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3}',
      ),
      { jsonrpc: "2.0", result: 19, id: 3 },
    );
    expectReply(
      await post(
        port,
        '{"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": 4}',
      ),
      { jsonrpc: "2.0", result: 19, id: 4 },
    );
  });

  it("answers a call of a method that does not exist with -32601", async () => {
    const port = await start(specService().service);
    expectReply(await post(port, '{"jsonrpc": "2.0", "method": "foobar", "id": "1"}'), {
      jsonrpc: "2.0",
      error: { code: -32601, message: "Method not found" },
      id: "1",
    });
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"])(
    "answers -32601 for %s, which every object inherits",
    async (method) => {
      const port = await start(calculator);
      const reply = await post(port, JSON.stringify({ jsonrpc: "2.0", method, params: [], id: 7 }));
      expect(reply.json?.error?.code, "look methods up through the Registry").toBe(-32601);
      expect(reply.json.id).toBe(7);
    },
  );

  it("answers invalid JSON with -32700 and a null id", async () => {
    const port = await start(specService().service);
    expectReply(await post(port, '{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]'), {
      jsonrpc: "2.0",
      error: { code: -32700, message: "Parse error" },
      id: null,
    });
  });

  it("answers an invalid Request object with -32600 and a null id", async () => {
    const port = await start(specService().service);
    expectReply(await post(port, '{"jsonrpc": "2.0", "method": 1, "params": "bar"}'), {
      jsonrpc: "2.0",
      error: { code: -32600, message: "Invalid Request" },
      id: null,
    });
  });

  it.each([
    ["no jsonrpc member", '{"method": "subtract", "params": [2, 1], "id": 1}', 1],
    ["jsonrpc 1.0", '{"jsonrpc": "1.0", "method": "subtract", "params": [2, 1], "id": 1}', 1],
    [
      "params that are a string",
      '{"jsonrpc": "2.0", "method": "subtract", "params": "2, 1", "id": 2}',
      2,
    ],
    [
      "params that are a number",
      '{"jsonrpc": "2.0", "method": "subtract", "params": 2, "id": 3}',
      3,
    ],
    [
      "an id that is an object",
      '{"jsonrpc": "2.0", "method": "subtract", "params": [2, 1], "id": {}}',
      null,
    ],
    ["a string", '"subtract"', null],
    ["null", "null", null],
  ])("answers a request with %s with -32600", async (_what, text, id) => {
    const port = await start(specService().service);
    const reply = await post(port, text);
    expect(reply.json?.error?.code, reply.text).toBe(-32600);
    expect(reply.json.id, "echo the id when it could be read, else null").toBe(id);
  });

  it("accepts an id that is a string, a number or null, and echoes it", async () => {
    const port = await start(calculator);
    for (const id of ["abc", 42, 0, null, ""]) {
      const reply = await post(
        port,
        JSON.stringify({ jsonrpc: "2.0", method: "add", params: [1, 2], id }),
      );
      expect(reply.json, `id ${JSON.stringify(id)}`).toEqual({ jsonrpc: "2.0", result: 3, id });
    }
  });

  it("answers -32602 to params the method cannot take", async () => {
    const port = await start(specService().service);
    const unknownName = await post(
      port,
      '{"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "x": 1}, "id": 5}',
    );
    expect(unknownName.json?.error?.code, "a name the method does not declare").toBe(-32602);
    expect(unknownName.json.error.data.detail).toMatch(/"x"/);
    const tooMany = await post(
      port,
      '{"jsonrpc": "2.0", "method": "subtract", "params": [1, 2, 3], "id": 6}',
    );
    expect(tooMany.json?.error?.code, "more positional params than the method declares").toBe(
      -32602,
    );
    const sum = await post(
      port,
      '{"jsonrpc": "2.0", "method": "sum", "params": [1, 2, 3, 4], "id": 7}',
    );
    expect(sum.json?.result, "...but a rest parameter takes any number").toBe(10);
  });

  it("answers -32602, naming the limit, to params nested deeper than maxDepth", async () => {
    const port = await start(calculator, { maxDepth: 4 });
    const deep = (n: number) => "[".repeat(n) + "1" + "]".repeat(n);
    const reply = await post(
      port,
      `{"jsonrpc":"2.0","method":"add","params":[${deep(5000)},1],"id":7}`,
    );
    expectReply(reply, {
      jsonrpc: "2.0",
      error: { code: -32602, message: "Invalid params" },
      id: 7,
    });
    expect(reply.json.error.data.detail).toMatch(/deeper than 4/);
    const fits = await post(
      port,
      `{"jsonrpc":"2.0","method":"add","params":[${deep(2)},1],"id":8}`,
    );
    expect(fits.json.error.data.detail, "params within the limit reach the method").toMatch(
      /takes two numbers/,
    );
  });

  it("answers -32602 when the method itself refuses its arguments", async () => {
    const port = await start(calculator);
    const reply = await post(
      port,
      '{"jsonrpc": "2.0", "method": "add", "params": ["1", 2], "id": 8}',
    );
    expect(reply.json?.error).toMatchObject({ code: -32602, message: "Invalid params" });
    expect(reply.json.error.data.detail).toMatch(/add/);
  });

  it("answers a thrown error with its message and name, and no stack trace", async () => {
    const port = await start(calculator);
    const reply = await post(
      port,
      '{"jsonrpc": "2.0", "method": "divide", "params": [1, 0], "id": 9}',
    );
    expect(reply.json).toEqual({
      jsonrpc: "2.0",
      error: { code: -32000, message: "division by zero", data: { name: "DivisionByZeroError" } },
      id: 9,
    });
    expect(reply.text).not.toMatch(/\n\s+at |\.ts:\d+/);
  });

  it("answers -32603, saying only that the result cannot be written as JSON", async () => {
    const port = await start({ big: () => 10n ** 30n, fine: () => "ok" });
    const reply = await post(port, '{"jsonrpc": "2.0", "method": "big", "id": 10}');
    expect(reply.json?.error?.code).toBe(-32603);
    expect(reply.json.id).toBe(10);
    expect(reply.json.error.data?.detail).toMatch(/cannot be written as JSON/);
    expect(reply.text).not.toMatch(/BigInt|\.ts:\d+|\n\s+at /);
    const after = await post(port, '{"jsonrpc": "2.0", "method": "fine", "id": 11}');
    expect(after.json?.result, "and the server keeps serving").toBe("ok");
  });

  it("answers null for a method that returns nothing", async () => {
    const port = await start({ nothing: () => undefined });
    expectReply(await post(port, '{"jsonrpc": "2.0", "method": "nothing", "id": 12}'), {
      jsonrpc: "2.0",
      result: null,
      id: 12,
    });
  });

  it("serves a Registry as well as a service object (positional params only)", async () => {
    const registry = Registry.fromService(calculator);
    const port = await start(registry);
    expect(
      (await post(port, '{"jsonrpc": "2.0", "method": "multiply", "params": [6, 7], "id": 1}')).json
        .result,
    ).toBe(42);
    const named = await post(
      port,
      '{"jsonrpc": "2.0", "method": "multiply", "params": {"a": 6, "b": 7}, "id": 2}',
    );
    expect(named.json?.error?.code, "a Registry holds bound functions: no names to read").toBe(
      -32602,
    );
  });
});

describe("task 3: notifications and batches", () => {
  it("answers a batch without any transport, and a notification with nothing", async () => {
    const dispatcher = new Dispatcher(calculator);
    const reply = await dispatcher.handle(
      '[{"jsonrpc": "2.0", "method": "add", "params": [1, 2], "id": 1}]',
    );
    expect(JSON.parse(reply ?? "null")).toEqual([{ jsonrpc: "2.0", result: 3, id: 1 }]);
    expect(
      await dispatcher.handle('{"jsonrpc": "2.0", "method": "add", "params": [1, 2]}'),
      "a notification: undefined, nothing to send",
    ).toBeUndefined();
  });

  it("gives the specification's notifications no reply, and runs them", async () => {
    const { service, notified } = specService();
    const port = await start(service);
    expectNoReply(
      await post(port, '{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}'),
    );
    expectNoReply(await post(port, '{"jsonrpc": "2.0", "method": "foobar"}'));
    expect(notified, "the notification ran before the server answered").toEqual([
      ["update", 1, 2, 3, 4, 5],
    ]);
  });

  it("gives a failing notification no reply either", async () => {
    const port = await start(calculator);
    expectNoReply(await post(port, '{"jsonrpc": "2.0", "method": "divide", "params": [1, 0]}'));
    expectNoReply(await post(port, '{"jsonrpc": "2.0", "method": "add", "params": {"nope": 1}}'));
  });

  it("answers a batch with invalid JSON with one -32700", async () => {
    const port = await start(specService().service);
    const text = `[
      {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
      {"jsonrpc": "2.0", "method"
    ]`;
    expectReply(await post(port, text), {
      jsonrpc: "2.0",
      error: { code: -32700, message: "Parse error" },
      id: null,
    });
  });

  it("answers an empty batch with one -32600, not with an array", async () => {
    const port = await start(specService().service);
    expectReply(await post(port, "[]"), {
      jsonrpc: "2.0",
      error: { code: -32600, message: "Invalid Request" },
      id: null,
    });
  });

  it("answers an invalid batch of one with an array of one -32600", async () => {
    const port = await start(specService().service);
    expectReply(await post(port, "[1]"), [
      { jsonrpc: "2.0", error: { code: -32600, message: "Invalid Request" }, id: null },
    ]);
  });

  it("answers an invalid batch of three with three -32600", async () => {
    const port = await start(specService().service);
    const invalid = {
      jsonrpc: "2.0",
      error: { code: -32600, message: "Invalid Request" },
      id: null,
    };
    expectReply(await post(port, "[1,2,3]"), [invalid, invalid, invalid]);
  });

  it("answers the specification's mixed batch: only the calls, each by its id", async () => {
    const { service, notified } = specService();
    const port = await start(service);
    const reply = await post(
      port,
      `[
        {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
        {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
        {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
        {"foo": "boo"},
        {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
        {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
      ]`,
    );
    expect(reply.status).toBe(200);
    expect(Array.isArray(reply.json), "a batch is answered with an array").toBe(true);
    // The specification allows the replies in any order: compare them as a set.
    expect(withoutData(reply.json)).toHaveLength(5);
    expect(withoutData(reply.json)).toEqual(
      expect.arrayContaining([
        { jsonrpc: "2.0", result: 7, id: "1" },
        { jsonrpc: "2.0", result: 19, id: "2" },
        { jsonrpc: "2.0", error: { code: -32600, message: "Invalid Request" }, id: null },
        { jsonrpc: "2.0", error: { code: -32601, message: "Method not found" }, id: "5" },
        { jsonrpc: "2.0", result: ["hello", 5], id: "9" },
      ]),
    );
    expect(notified).toEqual([["notify_hello", 7]]);
  });

  it("answers a batch of notifications only with no body at all", async () => {
    const { service, notified } = specService();
    const port = await start(service);
    expectNoReply(
      await post(
        port,
        `[
          {"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},
          {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}
        ]`,
      ),
    );
    expect(notified).toEqual([["notify_hello", 7]]);
  });

  it("refuses a batch longer than maxBatchLength whole, with one -32600, and runs none of it", async () => {
    const { service, notified } = specService();
    const port = await start(service, { maxBatchLength: 3 });
    const entry = { jsonrpc: "2.0", method: "notify_hello", params: [1] };
    const reply = await post(port, JSON.stringify([entry, entry, entry, entry]));
    expectReply(reply, {
      jsonrpc: "2.0",
      error: { code: -32600, message: "Invalid Request" },
      id: null,
    });
    expect(reply.json.error.data.detail, "say what the limit is").toMatch(/at most 3/);
    expect(notified, "a refused batch runs nothing").toEqual([]);
    expect((await post(port, JSON.stringify([entry, entry, entry]))).text).toBe("");
  });

  it("gives each call of a batch its own fate", async () => {
    const port = await start({ ...calculator, big: () => 1n });
    const reply = await post(
      port,
      JSON.stringify([
        { jsonrpc: "2.0", method: "divide", params: [1, 0], id: 1 },
        { jsonrpc: "2.0", method: "big", id: 2 },
        { jsonrpc: "2.0", method: "add", params: [2, 2], id: 3 },
        [{ jsonrpc: "2.0", method: "add", params: [1, 1], id: 4 }],
      ]),
    );
    const byId = new Map((reply.json as { id: unknown }[]).map((r) => [r.id, r]));
    expect(byId.get(1)).toMatchObject({ error: { code: -32000 } });
    expect(byId.get(2), "one result that is not JSON spoils only its own reply").toMatchObject({
      error: { code: -32603 },
    });
    expect(byId.get(3)).toMatchObject({ result: 4 });
    expect(byId.get(null), "a nested batch is an invalid request").toMatchObject({
      error: { code: -32600 },
    });
  });
});

describe("task 4: limit how many calls run at once", () => {
  it("runs a batch of six slow calls at most two at a time", async () => {
    let running = 0;
    let most = 0;
    const service = {
      async slow(n: number) {
        running += 1;
        most = Math.max(most, running);
        // Yield a few turns of the event loop, so that unlimited calls would overlap.
        for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
        return n;
      },
    };
    const port = await start(service, { concurrency: 2 });
    const batch = [1, 2, 3, 4, 5, 6].map((n) => ({
      jsonrpc: "2.0",
      method: "slow",
      params: [n],
      id: n,
    }));
    const reply = await post(port, JSON.stringify(batch));
    expect((reply.json as { result: number }[]).map((r) => r.result).sort()).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
    expect(most, "run every method through the ConcurrencyLimit (this.#limit.run)").toBe(2);
  });
});

describe("over HTTP (server.ts, written for you)", () => {
  it("refuses a GET with 405 and an Allow header, in JSON-RPC terms", async () => {
    const port = await start(calculator);
    const reply = await post(port, "", "GET");
    expect(reply.status).toBe(405);
    expect(reply.headers["allow"]).toBe("POST");
    expect(reply.json?.error?.code).toBe(-32600);
  });

  it("refuses a body over the limit with 413, and keeps serving", async () => {
    const port = await start(calculator, { maxBodyBytes: 200 });
    const big = JSON.stringify({
      jsonrpc: "2.0",
      method: "hello",
      params: ["x".repeat(500)],
      id: 1,
    });
    const reply = await post(port, big);
    expect(reply.status).toBe(413);
    expect(reply.json?.error?.code).toBe(-32600);
    expect(reply.json.error.data.detail).toMatch(/200 bytes/);
    const after = await post(
      port,
      '{"jsonrpc": "2.0", "method": "add", "params": [1, 2], "id": 2}',
    );
    expect(after.json?.result).toBe(3);
  });

  it("sends each reply with its Content-Length", async () => {
    const port = await start(calculator);
    const reply = await post(
      port,
      '{"jsonrpc": "2.0", "method": "hello", "params": ["世界"], "id": 1}',
    );
    expect(Number(reply.headers["content-length"])).toBe(Buffer.byteLength(reply.text));
    expect(reply.json?.result).toBe("Hello, 世界!");
  });
});
