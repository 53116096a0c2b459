import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { calculator } from "../../shared/calculator.js";
import { RpcError } from "../../shared/rpc-error.js";
import { listenOnFreePort, type RunningServer } from "../../shared/testing/servers.js";
import { HttpRpcClient } from "./client.js";
import { readBody, sendError, sendJson } from "./http-json.js";
import { createHttpRpcServer } from "./server.js";

// Every test talks to a real server on a loopback port, through real sockets.

const running: RunningServer[] = [];
const cleanups: (() => void)[] = [];
/** What the servers logged as internal errors: shown when a test fails, since clients never see it. */
const logged: string[] = [];

afterEach(async () => {
  logged.length = 0;
  for (const cleanup of cleanups.splice(0)) cleanup();
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function start(server: Server): Promise<number> {
  const listening = await listenOnFreePort(server);
  running.push(listening);
  return listening.port;
}

function startRpc(service: object = calculator, maxBodyBytes = 1024): Promise<number> {
  return start(
    createHttpRpcServer(service, { maxBodyBytes, logError: (e) => logged.push(e.message) }),
  );
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: any;
}

/**
 * A bare HTTP request on a fresh connection (agent: false), independent of the client you
 * write in task 4. `chunks` are sent as separate writes, without a Content-Length.
 */
function send(
  port: number,
  method: string,
  path: string,
  options: { body?: string; chunks?: (string | Buffer)[]; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) {
      headers["Content-Type"] ??= "application/json";
      headers["Content-Length"] = String(Buffer.byteLength(options.body));
    }
    const req = request({ host: "127.0.0.1", port, method, path, headers, agent: false });
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    for (const chunk of options.chunks ?? []) req.write(chunk);
    req.end(options.body);
  });
}

/**
 * Sends a POST with a declared body of `bytes` bytes over a bare socket, the way Python's
 * urllib does: the whole body first, and only then the reply is read. Resolves with what the
 * server sent and the socket error seen, if any (EPIPE, ECONNRESET).
 */
function uploadAllFirst(port: number, bytes: number): Promise<{ text: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const received: Buffer[] = [];
    let error: string | undefined;
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    socket.on("error", (reason: NodeJS.ErrnoException) => (error = reason.code ?? reason.message));
    socket.on("close", () => resolve({ text: Buffer.concat(received).toString("utf8"), error }));
    socket.write(
      `POST /rpc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${bytes}\r\nConnection: close\r\n\r\n`,
    );
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = (): void => {
      while (sent < bytes && !socket.destroyed) {
        const part = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
        sent += part.length;
        if (!socket.write(part)) return void socket.once("drain", pump);
      }
      if (!socket.destroyed) socket.end();
    };
    pump();
  });
}

function post(port: number, body: unknown, headers?: Record<string, string>): Promise<Reply> {
  return send(port, "POST", "/rpc", { body: JSON.stringify(body), headers });
}

function expectJsonReply(reply: Reply, status: number) {
  const log = logged.length ? `; the server logged: ${logged.join("; ")}` : "";
  expect(reply.status, `expected HTTP ${status}; the body was: ${reply.text}${log}`).toBe(status);
  expect(reply.headers["content-type"], "answer with Content-Type: application/json").toMatch(
    /^application\/json\b/,
  );
  expect(
    Number(reply.headers["content-length"]),
    "set Content-Length: the reply is built before it is sent",
  ).toBe(Buffer.byteLength(reply.text));
  expect(reply.json, "the body must be JSON").toBeDefined();
}

function expectError(reply: Reply, status: number, code: string, message?: RegExp) {
  expectJsonReply(reply, status);
  expect(reply.json.error?.code, `expected {"error": {"code": "${code}", ...}}`).toBe(code);
  expect(typeof reply.json.error.message, "say what was wrong in error.message").toBe("string");
  if (message) expect(reply.json.error.message).toMatch(message);
  expect(reply.text, "never send a stack trace to a client").not.toMatch(/\n\s+at |\.ts:\d+/);
}

describe("task 1: answer GET /add?a=1&b=2", () => {
  it('answers GET /add?a=1&b=2 with 200 and {"result":3}', async () => {
    const port = await startRpc();
    const reply = await send(port, "GET", "/add?a=1&b=2");
    expectJsonReply(reply, 200);
    expect(reply.text).toBe('{"result":3}');
  });

  it("calls the method named by the path, with a and b in order", async () => {
    const port = await startRpc();
    expect((await send(port, "GET", "/subtract?a=5&b=3")).json).toEqual({ result: 2 });
    expect((await send(port, "GET", "/multiply?b=7&a=6")).json).toEqual({ result: 42 });
    expect((await send(port, "GET", "/divide?a=-9&b=1.5")).json).toEqual({ result: -6 });
  });

  it.each([
    ["/add?a=1", /\bb\b/],
    ["/add?b=2", /\ba\b/],
    ["/add?a=one&b=2", /\ba\b.*number/],
    ["/add?a=1&b=", /\bb\b.*number/],
    ["/add?a=1&b=1e999", /\bb\b.*number/],
  ])("refuses the bad query %s with 400 and says which parameter", async (path, message) => {
    const port = await startRpc();
    expectError(await send(port, "GET", path), 400, "bad_message", message);
  });

  it.each(["/power?a=1&b=2", "/__proto__?a=1&b=2", "/constructor?a=1&b=2", "/toString"])(
    "answers 404 for %s, which is not a method of the service",
    async (path) => {
      const port = await startRpc();
      expectError(await send(port, "GET", path), 404, "unknown_method");
    },
  );

  it("reports an error thrown by the method, by name", async () => {
    const port = await startRpc();
    const reply = await send(port, "GET", "/divide?a=1&b=0");
    expectError(reply, 422, "remote_error", /division by zero/);
    expect(reply.json.error.name).toBe("DivisionByZeroError");
  });

  it("keeps serving after bad queries", async () => {
    const port = await startRpc();
    await send(port, "GET", "/add?a=x&b=2");
    await send(port, "GET", "/nope");
    expect((await send(port, "GET", "/add?a=2&b=2")).json).toEqual({ result: 4 });
  });
});

describe("task 2: read a body within a limit", () => {
  /** A server whose only job is to read bodies of at most 16 bytes and say what it got. */
  function startEcho(): Promise<number> {
    return start(
      createServer(async (req, res) => {
        try {
          const body = await readBody(req, 16);
          sendJson(res, 200, { bytes: body.length, text: body.toString("utf8") });
        } catch (error) {
          if (!(error instanceof RpcError)) logged.push(String(error));
          sendError(res, error);
        }
      }),
    );
  }

  it("reads a body sent with a Content-Length", async () => {
    const port = await startEcho();
    const reply = await send(port, "POST", "/", { body: "hello" });
    expect(reply.json).toEqual({ bytes: 5, text: "hello" });
  });

  it("reads a chunked body, whole, in order", async () => {
    const port = await startEcho();
    const reply = await send(port, "POST", "/", { chunks: ["ab", "cd", "ef"] });
    expect(reply.json, "collect every chunk, then join them once").toEqual({
      bytes: 6,
      text: "abcdef",
    });
  });

  it("returns bytes, so a character split between chunks survives", async () => {
    const port = await startEcho();
    const world = Buffer.from("世界", "utf8"); // 6 bytes, two characters
    const reply = await send(port, "POST", "/", {
      chunks: [world.subarray(0, 2), world.subarray(2, 4), world.subarray(4)],
    });
    expect(reply.json, "join the Buffers first, decode the text after").toEqual({
      bytes: 6,
      text: "世界",
    });
  });

  it("accepts a body of exactly the limit", async () => {
    const port = await startEcho();
    expect((await send(port, "POST", "/", { body: "x".repeat(16) })).json.bytes).toBe(16);
  });

  it("refuses a Content-Length over the limit with 413", async () => {
    const port = await startEcho();
    const reply = await send(port, "POST", "/", { body: "x".repeat(17) });
    expectError(reply, 413, "too_large", /16/);
  });

  it("refuses a chunked body that grows over the limit with 413", async () => {
    const port = await startEcho();
    const reply = await send(port, "POST", "/", { chunks: ["x".repeat(10), "x".repeat(10)] });
    expectError(reply, 413, "too_large");
  });

  it("keeps serving after refusing a body", async () => {
    const port = await startEcho();
    await send(port, "POST", "/", { body: "x".repeat(100) });
    expect((await send(port, "POST", "/", { body: "ok" })).json).toEqual({ bytes: 2, text: "ok" });
  });
});

describe("task 3: one POST endpoint for every method", () => {
  it('answers {"method":"add","params":[1,2],"id":1} with {"id":1,"result":3}', async () => {
    const port = await startRpc();
    const reply = await post(port, { method: "add", params: [1, 2], id: 1 });
    expectJsonReply(reply, 200);
    expect(reply.json).toEqual({ id: 1, result: 3 });
  });

  it("echoes the id as it came, and keeps argument order", async () => {
    const port = await startRpc();
    expect((await post(port, { method: "subtract", params: [5, 3], id: "x-7" })).json).toEqual({
      id: "x-7",
      result: 2,
    });
    expect((await post(port, { method: "hello", params: ["Ada"] })).json).toEqual({
      id: null,
      result: "Hello, Ada!",
    });
  });

  it.each(["power", "__proto__", "constructor", "toString", "hasOwnProperty"])(
    "answers 404 unknown_method for %s, with the id",
    async (method) => {
      const port = await startRpc();
      const reply = await post(port, { method, params: [], id: 9 });
      expectError(reply, 404, "unknown_method");
      expect(reply.json.id).toBe(9);
    },
  );

  it("answers 400 invalid_argument when the method refuses its arguments", async () => {
    const port = await startRpc();
    const reply = await post(port, { method: "add", params: ["1", 2], id: 2 });
    expectError(reply, 400, "invalid_argument", /add/);
  });

  it("answers 422 remote_error, with the error's name, when the method throws", async () => {
    const port = await startRpc();
    const reply = await post(port, { method: "divide", params: [1, 0], id: 3 });
    expectError(reply, 422, "remote_error", /division by zero/);
    expect(reply.json).toMatchObject({ id: 3, error: { name: "DivisionByZeroError" } });
  });

  it("answers 400 bad_message to a body that is not JSON", async () => {
    const port = await startRpc();
    const reply = await send(port, "POST", "/rpc", { body: '{"method": "add", "par' });
    expectError(reply, 400, "bad_message", /JSON/);
  });

  it.each([
    ["an array", [1, 2]],
    ["a string", "add"],
    ["null", null],
    ["a method that is not a string", { method: 42, params: [] }],
    ["params that are not an array", { method: "add", params: { a: 1 } }],
  ])("answers 400 bad_message to %s", async (_what, body) => {
    const port = await startRpc();
    expectError(await post(port, body), 400, "bad_message", /method/);
  });

  it("answers 405 with an Allow header to the wrong HTTP method", async () => {
    const port = await startRpc();
    const get = await send(port, "GET", "/rpc");
    expectError(get, 405, "bad_message");
    expect(get.headers["allow"], "tell the client which method to use").toBe("POST");
    const put = await send(port, "PUT", "/add?a=1&b=2", { body: "{}" });
    expectError(put, 405, "bad_message");
    expect(put.headers["allow"]).toBe("GET");
  });

  it("answers 415 to a body that is not sent as application/json", async () => {
    const port = await startRpc();
    const body = JSON.stringify({ method: "add", params: [1, 2], id: 1 });
    const reply = await send(port, "POST", "/rpc", {
      body,
      headers: { "Content-Type": "text/plain" },
    });
    expectError(reply, 415, "bad_message", /application\/json/);
  });

  it("answers 413 to a body over the limit", async () => {
    const port = await startRpc(calculator, 100);
    const reply = await post(port, { method: "hello", params: ["x".repeat(200)], id: 1 });
    expectError(reply, 413, "too_large");
  });

  it("answers an 8 MB upload over the limit with 413, to a client that sends it all first", async () => {
    const port = await startRpc(calculator, 1024);
    const { text, error } = await uploadAllFirst(port, 8 * 1024 * 1024);
    expect(error, "do not close the connection under a client still sending").toBeUndefined();
    expect(text).toMatch(/^HTTP\/1\.1 413/);
    expect(text).toMatch(/too_large/);
  });

  it("answers 400 to an id it cannot echo, such as one nested 5,000 deep", async () => {
    const port = await startRpc(calculator, 64 * 1024);
    const id = "[".repeat(5000) + "]".repeat(5000);
    const reply = await send(port, "POST", "/rpc", {
      body: `{"method":"add","params":[1,2],"id":${id}}`,
    });
    expectError(reply, 400, "bad_message", /id/);
    expect(logged, "the client's mistake, not an internal error").toEqual([]);
  });

  it("keeps serving everyone after bad requests", async () => {
    const port = await startRpc();
    await send(port, "POST", "/rpc", { body: "not json" });
    await post(port, { method: "__proto__", params: [] });
    await post(port, { method: "hello", params: ["x".repeat(5000)] });
    await send(port, "DELETE", "/rpc");
    expect((await post(port, { method: "add", params: [2, 3], id: 4 })).json).toEqual({
      id: 4,
      result: 5,
    });
  });
});

describe("task 4: a client that keeps its connection", () => {
  /** A service with one extra method that answers only when the test says so. */
  function holdingService() {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    cleanups.push(release);
    return { ...calculator, hold: () => released.then(() => "released") };
  }

  function client(port: number): HttpRpcClient {
    const made = new HttpRpcClient(`http://127.0.0.1:${port}`);
    cleanups.push(() => made.close());
    return made;
  }

  it("calls by GET and by POST", async () => {
    const calc = client(await startRpc());
    await expect(calc.get("add", 1, 2)).resolves.toBe(3);
    await expect(calc.call("subtract", [5, 3])).resolves.toBe(2);
    await expect(calc.call("hello", ["Ada"])).resolves.toBe("Hello, Ada!");
  });

  it("turns error replies into RpcErrors with the server's code", async () => {
    const calc = client(await startRpc());
    await expect(calc.call("divide", [1, 0])).rejects.toMatchObject({
      code: "remote_error",
      remoteName: "DivisionByZeroError",
      message: "division by zero",
    });
    await expect(calc.call("__proto__", [])).rejects.toMatchObject({ code: "unknown_method" });
    await expect(calc.get("add", 1, Number.NaN)).rejects.toMatchObject({ code: "bad_message" });
    const error = await calc.call("add", ["1", 2]).catch((e: unknown) => e);
    expect(error, "reject with RpcError, the course's one error class").toBeInstanceOf(RpcError);
  });

  it("sends twenty calls over one TCP connection", async () => {
    const server = createHttpRpcServer(calculator, { logError: (e) => logged.push(e.message) });
    let connections = 0;
    server.on("connection", () => (connections += 1));
    const calc = client(await start(server));
    for (let i = 0; i < 20; i++) await calc.call("add", [i, 1]);
    expect(connections, "use an http.Agent with keepAlive: true, and read every reply").toBe(1);
  });

  it("gives up after timeoutMs with deadline_exceeded", async () => {
    const calc = client(await startRpc(holdingService()));
    await expect(calc.call("hold", [], { timeoutMs: 50 })).rejects.toMatchObject({
      code: "deadline_exceeded",
    });
  });

  it("gives up when the signal aborts, with canceled", async () => {
    const calc = client(await startRpc(holdingService()));
    const controller = new AbortController();
    const pending = calc.call("hold", [], { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "canceled" });
  });

  it("refuses a call whose signal has already aborted, with canceled, sending nothing", async () => {
    const server = createHttpRpcServer(calculator, { logError: (e) => logged.push(e.message) });
    let requests = 0;
    server.on("request", () => (requests += 1));
    const calc = client(await start(server));
    const error = await calc.call("add", [1, 2], { signal: AbortSignal.abort() }).catch((e) => e);
    expect(error, "an RpcError, not the signal's DOMException").toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: "canceled" });
    await expect(calc.call("add", [2, 2])).resolves.toBe(4);
    expect(requests, "only the second call reached the server").toBe(1);
  });

  it("treats timeoutMs: Infinity as no deadline", async () => {
    let release!: () => void;
    const released = new Promise<string>((resolve) => (release = () => resolve("released")));
    const calc = client(await startRpc({ ...calculator, hold: () => released }));
    const forever = calc.call("hold", [], { timeoutMs: Infinity });
    // A timer given Infinity fires after 1 ms; this call's deadline comes after that.
    await expect(calc.call("hold", [], { timeoutMs: 20 })).rejects.toMatchObject({
      code: "deadline_exceeded",
    });
    release();
    await expect(forever).resolves.toBe("released");
  });

  it("reports a server that is not there as unavailable", async () => {
    const gone = await listenOnFreePort(createServer());
    await gone.close();
    const calc = client(gone.port);
    await expect(calc.call("add", [1, 2])).rejects.toMatchObject({ code: "unavailable" });
  });

  it("closes its connections on close(), so the process can exit", async () => {
    const server = createHttpRpcServer(calculator);
    const closed = new Promise<void>((resolve) =>
      server.once("connection", (socket) => socket.once("close", () => resolve())),
    );
    const calc = new HttpRpcClient(`http://127.0.0.1:${await start(server)}`);
    await calc.call("add", [1, 2]);
    calc.close();
    await closed; // hangs, and the test times out, if close() leaves the connection open
  });
});
