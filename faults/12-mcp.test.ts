import { spawn } from "node:child_process";
import { once } from "node:events";
import net from "node:net";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { streamChannel } from "../solutions/12-mcp/channel.js";
import { McpClient } from "../solutions/12-mcp/client.js";
import { demoTools } from "../solutions/12-mcp/demo-tools.js";
import { newlineFraming } from "../solutions/12-mcp/framing.js";
import { httpChannel } from "../solutions/12-mcp/http-client.js";
import { serveStreamableHttp, type RunningMcpHttp } from "../solutions/12-mcp/http-server.js";
import { LATEST_PROTOCOL_VERSION } from "../solutions/12-mcp/messages.js";
import { McpServer } from "../solutions/12-mcp/server.js";
import type { Tool } from "../solutions/12-mcp/tools.js";

// Each attack on lesson 12's server is followed by a good call: on the same stdio stream
// (a stdio server has one client), or over HTTP from a fresh client.

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** A tool that reports progress once, then holds its call until the test lets go. */
let letGo: () => void = () => {};
const hold: Tool = {
  name: "hold",
  description: "reports progress, then waits for the test",
  inputSchema: { type: "object", properties: {} },
  async run(_args, context) {
    context.progress({ progress: 1 });
    await new Promise<void>((resolve) => (letGo = resolve));
    return "released";
  },
};
const tools = () => [...demoTools(), hold];
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** The lesson's server on one end of an in-process pipe; the test writes raw bytes to it. */
function stdioServer({ maxRunning }: { maxRunning?: number } = {}) {
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  const server = new McpServer(streamChannel(toServer, fromServer, newlineFraming), {
    tools: tools(),
    log: () => {},
    ...(maxRunning ? { maxRunning } : {}),
  });
  const replies: any[] = [];
  const waiters: { id: unknown; resolve: (reply: any) => void }[] = [];
  let rest = "";
  fromServer.setEncoding("utf8").on("data", (text: string) => {
    const lines = (rest + text).split("\n");
    rest = lines.pop()!;
    for (const line of lines) {
      const reply = JSON.parse(line);
      replies.push(reply);
      const waiter = waiters.findIndex((w) => w.id === reply.id);
      if (waiter !== -1) waiters.splice(waiter, 1)[0]!.resolve(reply);
    }
  });
  cleanups.push(() => server.close());
  const send = (message: object | string) =>
    toServer.write(typeof message === "string" ? message : `${JSON.stringify(message)}\n`);
  const reply = (id: unknown) => {
    const found = replies.find((r) => r.id === id);
    return found
      ? Promise.resolve(found)
      : new Promise<any>((resolve) => waiters.push({ id, resolve }));
  };
  const initialize = async () => {
    send({
      jsonrpc: "2.0",
      id: "init",
      method: "initialize",
      params: {
        protocolVersion: LATEST_PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: "f", version: "0" },
      },
    });
    await reply("init");
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
  };
  let next = 1000;
  const goodCall = async () => {
    const id = next++;
    send({
      jsonrpc: "2.0",
      id,
      method: "tools/call",
      params: { name: "add", arguments: { a: 20, b: 22 } },
    });
    expect((await reply(id)).result?.structuredContent).toEqual({ result: 42 });
  };
  return { server, toServer, send, reply, replies, initialize, goodCall };
}

async function httpServer(options = {}) {
  const servers: McpServer[] = [];
  const http = await serveStreamableHttp(
    (channel) => servers.push(new McpServer(channel, { tools: tools(), log: () => {} })),
    { log: () => {}, ...options },
  );
  cleanups.push(() => http.close());
  return { http, servers };
}

async function goodHttpCall(http: RunningMcpHttp): Promise<void> {
  const client = await McpClient.connect(httpChannel(http.url), { log: () => {} });
  try {
    expect((await client.callTool("add", { a: 20, b: 22 })).structuredContent).toEqual({
      result: 42,
    });
  } finally {
    client.close();
  }
}

const JSON_AND_SSE = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
};
const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", headers: { ...JSON_AND_SSE, ...headers }, body });

async function openSession(url: string): Promise<string> {
  const response = await post(
    url,
    JSON.stringify({
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: {
        protocolVersion: LATEST_PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: "f", version: "0" },
      },
    }),
  );
  await response.json();
  return response.headers.get("mcp-session-id")!;
}

describe("lesson 12 over stdio: each fault gets the specification's answer", () => {
  it("answers an invalid JSON line with -32700 and id null, then serves the next line", async () => {
    const s = stdioServer();
    await s.initialize();
    s.send("{this is not json\n");
    expect(await s.reply(null)).toMatchObject({ error: { code: -32700 } });
    await s.goodCall();
  });

  it("refuses a 100 MB line in bounded memory with a clear error, then serves the next line", async () => {
    const s = stdioServer();
    await s.initialize();
    const before = process.memoryUsage().arrayBuffers;
    const chunk = Buffer.alloc(1024 * 1024, "x");
    let peak = 0;
    for (let i = 0; i < 100; i++) {
      if (!s.toServer.write(chunk)) await once(s.toServer, "drain");
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
    }
    s.send("\n");
    const refused = await s.reply(null);
    expect(refused.error).toMatchObject({
      code: -32600,
      data: { detail: expect.stringMatching(/longer than/) },
    });
    expect(peak, "memory held while 100 MB went by").toBeLessThan(40 * 1024 * 1024);
    await s.goodCall();
  });

  it("refuses requests before initialize with -32002, and unknown methods with -32601", async () => {
    const s = stdioServer();
    s.send({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    expect((await s.reply(1)).error.code).toBe(-32002);
    await s.initialize();
    s.send({ jsonrpc: "2.0", id: 2, method: "resources/list" });
    expect((await s.reply(2)).error.code).toBe(-32601);
    await s.goodCall();
  });

  it("ignores a cancellation of an unknown id, refuses a duplicate id, and answers the first", async () => {
    const s = stdioServer();
    await s.initialize();
    s.send({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 424242 } });
    s.send({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: { evil: true } },
    });
    s.send({
      jsonrpc: "2.0",
      id: 7,
      method: "tools/call",
      params: { name: "hold", arguments: {} },
    });
    s.send({ jsonrpc: "2.0", id: 7, method: "ping" });
    expect(await s.reply(7)).toMatchObject({ error: { code: -32600 } });
    await s.goodCall();
    letGo();
    await expect.poll(() => s.replies.filter((r) => r.id === 7).length).toBe(2);
    expect(s.replies.filter((r) => r.id === 7)[1]).toMatchObject({
      result: { content: [{ text: "released" }] },
    });
  });

  it("refuses requests past maxRunning at once, with a reason, and serves again once they end", async () => {
    const s = stdioServer({ maxRunning: 3 });
    await s.initialize();
    const call = (id: number) =>
      s.send({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "hold", arguments: {} } });
    for (const id of [1, 2, 3]) call(id);
    await expect.poll(() => s.server.peer.running).toBe(3);
    call(4);
    expect(await s.reply(4)).toMatchObject({
      error: { code: -32000, message: expect.stringMatching(/busy/) },
    });
    letGo(); // the hold tool keeps only the last release: free them one by one
    await expect.poll(() => s.server.peer.running).toBe(2);
    await s.goodCall();
  });

  it("a child server whose client vanishes mid-call stops its work and exits", async () => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--import",
        "./scripts/lib/tree-register.ts",
        "lessons/12-mcp/demo-server.ts",
        "--stdio",
      ],
      {
        cwd: ROOT,
        env: { ...process.env, COURSE_TREE: "solutions" },
        stdio: ["pipe", "pipe", "ignore"],
      },
    );
    cleanups.push(() => child.exitCode === null && child.kill("SIGKILL"));
    const exited = once(child, "exit");
    const client = await McpClient.connect(
      streamChannel(child.stdout!, child.stdin!, newlineFraming),
      {
        log: () => {},
      },
    );
    let progressed!: () => void;
    const running = new Promise<void>((resolve) => (progressed = resolve));
    const call = client.callTool("countdown", { n: 100_000 }, { onProgress: () => progressed() });
    await running;
    child.stdin!.destroy(); // the client is gone: its end of the pipe closes
    const [code] = await exited;
    expect(code, "the server exits cleanly when its stdin ends").toBe(0);
    await expect(call).rejects.toMatchObject({ code: "unavailable" });
  });
});

describe("lesson 12 over Streamable HTTP: each fault gets the specification's answer", () => {
  it("answers invalid JSON with 400 and -32700, and a body over the limit with 413", async () => {
    const { http } = await httpServer({ maxBodyBytes: 1024 * 1024 });
    const session = await openSession(http.url);
    const bad = await post(http.url, "{nope", { "mcp-session-id": session });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ id: null, error: { code: -32700 } });
    const huge = await post(http.url, `"${"x".repeat(8 * 1024 * 1024)}"`, {
      "mcp-session-id": session,
    }).catch((error: Error) => error);
    if (huge instanceof Response) expect(huge.status).toBe(413);
    await goodHttpCall(http);
  });

  it("refuses requests without initialize, unknown or deleted sessions, and a second session's id after DELETE", async () => {
    const { http } = await httpServer();
    const ping = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" });
    expect((await post(http.url, ping)).status, "no session: 400").toBe(400);
    expect(
      (await post(http.url, ping, { "mcp-session-id": "00000000-0000-4000-8000-000000000000" }))
        .status,
    ).toBe(404);
    const owner = await openSession(http.url);
    await fetch(http.url, { method: "DELETE", headers: { "mcp-session-id": owner } });
    // Someone who learned the id (a log, a proxy) finds nothing to take over once it has ended.
    expect((await post(http.url, ping, { "mcp-session-id": owner })).status).toBe(404);
    const other = await httpServer();
    const elsewhere = await openSession(other.http.url);
    expect(
      (await post(http.url, ping, { "mcp-session-id": elsewhere })).status,
      "ids are per server",
    ).toBe(404);
    await goodHttpCall(http);
  });

  it("refuses a duplicate id in flight, and keeps serving the first", async () => {
    const { http } = await httpServer();
    const session = await openSession(http.url);
    const headers = { "mcp-session-id": session };
    const call = JSON.stringify({
      jsonrpc: "2.0",
      id: 5,
      method: "tools/call",
      params: { name: "hold", arguments: {}, _meta: { progressToken: "t" } },
    });
    // Its first progress event sends the headers: from then on, id 5 is running.
    const firstResponse = await post(http.url, call, headers);
    const second = await post(http.url, call, headers);
    expect(await second.json()).toMatchObject({ id: 5, error: { code: -32600 } });
    letGo();
    expect(await firstResponse.text()).toContain("released");
    await goodHttpCall(http);
  });

  it("keeps a session whose client vanished mid-call, and serves the next client", async () => {
    const { http, servers } = await httpServer();
    const session = await openSession(http.url);
    const controller = new AbortController();
    const response = await fetch(http.url, {
      method: "POST",
      headers: { ...JSON_AND_SSE, "mcp-session-id": session },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 9,
        method: "tools/call",
        params: { name: "countdown", arguments: { n: 3 }, _meta: { progressToken: 1 } },
      }),
      signal: controller.signal,
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    controller.abort(); // gone without a word
    await goodHttpCall(http);
    await expect.poll(() => servers[0]!.peer.running, { timeout: 10_000 }).toBe(0);
  });

  it("cuts off an SSE reader that never reads, in bounded memory, and serves the next client", async () => {
    const { http, servers } = await httpServer({ maxUnreadBytes: 256 * 1024 });
    const session = await openSession(http.url);
    const { port } = new URL(http.url);
    const socket = net.connect(Number(port), "127.0.0.1");
    const closed = once(socket, "close");
    socket.write(
      `GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nMcp-Session-Id: ${session}\r\n\r\n`,
    );
    const [head] = await once(socket, "data"); // the stream is open…
    expect(String(head)).toMatch(/^HTTP\/1.1 200/);
    socket.pause(); // …and never read again
    const payload = { data: "x".repeat(256 * 1024) };
    const sent = 256 * payload.data.length; // 64 MiB, more than any socket buffer holds
    for (let i = 0; i < 256; i++) {
      servers[0]!.peer.notify("notifications/message", payload);
      await new Promise((resolve) => setImmediate(resolve));
    }
    let received = 0;
    socket.on("data", (chunk: Buffer) => (received += chunk.length));
    socket.resume();
    await closed;
    expect(received, "the server cut the reader off instead of buffering for it").toBeLessThan(
      sent / 2,
    );
    await goodHttpCall(http);
  });

  it("refuses a wrong Origin with 403 on POST, GET and DELETE", async () => {
    const { http } = await httpServer();
    const session = await openSession(http.url);
    const evil = { origin: "http://evil.example", "mcp-session-id": session };
    expect(
      (await post(http.url, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }), evil))
        .status,
    ).toBe(403);
    expect(
      (await fetch(http.url, { headers: { ...evil, accept: "text/event-stream" } })).status,
    ).toBe(403);
    expect((await fetch(http.url, { method: "DELETE", headers: evil })).status).toBe(403);
    expect(
      (
        await post(http.url, JSON.stringify({ jsonrpc: "2.0", id: 2, method: "ping" }), {
          "mcp-session-id": session,
        })
      ).status,
      "the session survived the attempt",
    ).toBe(200);
    await goodHttpCall(http);
  });
});
