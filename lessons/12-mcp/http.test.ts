import { request as httpRequest, type IncomingMessage } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { calculatorTools } from "./calculator-tools.js";
import { McpClient } from "./client.js";
import { httpChannel } from "./http-client.js";
import { isAllowedOrigin, serveStreamableHttp, type RunningMcpHttp } from "./http-server.js";
import { LATEST_PROTOCOL_VERSION } from "./messages.js";
import { McpServer } from "./server.js";
import { SseDecoder, encodeSseEvent } from "./sse.js";
import { readAll } from "./testing.js";
import type { Tool } from "./tools.js";

const running: RunningMcpHttp[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

/** A tool that reports progress, then waits for the test to let it finish. */
function gatedTool() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const tool: Tool = {
    name: "gated",
    description: "reports progress, then waits",
    inputSchema: { type: "object", properties: {} },
    run: async (_args, context) => {
      context.progress({ progress: 1, total: 2 });
      await gate;
      return "done";
    },
  };
  return { tool, release };
}

async function serve(tools: Tool[] = calculatorTools()) {
  const servers: McpServer[] = [];
  const http = await serveStreamableHttp(
    (channel) => servers.push(new McpServer(channel, { tools, log: () => {} })),
    {
      log: () => {},
    },
  );
  running.push(http);
  return { http, servers };
}

const JSON_AND_SSE = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
};

/**
 * One HTTP request on a connection of its own, with node:http: the response as soon as its
 * head arrives, its body still to read. (fetch would do, but its first use in a process costs
 * more than all of these requests together.)
 */
function request(
  url: string,
  {
    method = "GET",
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(url, { method, headers, agent: false }, resolve);
    sent.once("error", reject);
    sent.end(body);
  });
}

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return request(url, {
    method: "POST",
    headers: { ...JSON_AND_SSE, ...headers },
    body: JSON.stringify(body),
  });
}

/** The status of a response whose body the test does not need: the body is read and dropped. */
function statusOf(response: IncomingMessage): number {
  response.resume();
  return response.statusCode!;
}

/** The whole body of a response, parsed as JSON. */
async function json(response: IncomingMessage): Promise<unknown> {
  return JSON.parse(await readAll(response));
}

/** Opens a session by hand; returns its id. */
async function openSession(url: string): Promise<string> {
  const response = await post(url, {
    jsonrpc: "2.0",
    id: 0,
    method: "initialize",
    params: {
      protocolVersion: LATEST_PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: "t", version: "0" },
    },
  });
  await json(response);
  const session = response.headers["mcp-session-id"] as string;
  const done = await post(
    url,
    { jsonrpc: "2.0", method: "notifications/initialized" },
    { "mcp-session-id": session },
  );
  expect(statusOf(done), "a notification gets 202").toBe(202);
  return session;
}

/** Reads SSE events from a response until `stop` says enough; then drops the connection. */
async function readEvents(
  response: IncomingMessage,
  stop: (events: { id?: string; data: string }[]) => boolean,
) {
  const decoder = new SseDecoder();
  const events: { id?: string; data: string }[] = [];
  response.setEncoding("utf8");
  if (!stop(events)) {
    for await (const text of response) {
      events.push(...decoder.push(text as string));
      if (stop(events)) break; // leaving the loop destroys the response, and its connection
    }
  }
  response.destroy();
  return events;
}

describe("task 6: Streamable HTTP", () => {
  it("writes and reads SSE events cut anywhere", () => {
    const text =
      encodeSseEvent({ id: "1_1", data: '{"a":1}' }) +
      ": keep-alive\r\n" +
      encodeSseEvent({ data: "two\nlines" });
    expect(encodeSseEvent({ id: "7", data: "x" })).toBe("id: 7\ndata: x\n\n");
    for (let cut = 0; cut <= text.length; cut++) {
      const decoder = new SseDecoder();
      const events = [...decoder.push(text.slice(0, cut)), ...decoder.push(text.slice(cut))];
      expect(events, `cut at ${cut}`).toEqual([
        { id: "1_1", data: '{"a":1}' },
        { id: "1_1", data: "two\nlines" },
      ]);
      expect(decoder.lastEventId).toBe("1_1");
    }
    expect(() => new SseDecoder(10).push("data: " + "x".repeat(20))).toThrow(
      expect.objectContaining({ code: "too_large" }),
    );
  });

  it("checks Origin against DNS rebinding: loopback or listed origins pass, others get 403", async () => {
    expect(isAllowedOrigin(undefined)).toBe(true);
    expect(isAllowedOrigin("http://localhost:5173")).toBe(true);
    expect(isAllowedOrigin("http://127.0.0.1")).toBe(true);
    expect(isAllowedOrigin("http://evil.example")).toBe(false);
    expect(isAllowedOrigin("http://localhost.evil.example")).toBe(false);
    expect(isAllowedOrigin("https://app.example", ["https://app.example"])).toBe(true);
    const { http } = await serve();
    const refused = await post(
      http.url,
      { jsonrpc: "2.0", id: 1, method: "ping" },
      { origin: "http://evil.example" },
    );
    expect(refused.statusCode).toBe(403);
    expect(await json(refused)).toMatchObject({ error: { code: -32600 } });
  });

  it("serves an McpClient: a session id from initialize rides on every later request", async () => {
    const { http, servers } = await serve();
    const client = await McpClient.connect(httpChannel(http.url));
    expect((await client.callTool("add", { a: 1, b: 2 })).structuredContent).toEqual({ result: 3 });
    expect((await client.callTool("divide", { a: 1, b: 0 })).isError).toBe(true);
    expect(http.sessions).toBe(1);
    await expect
      .poll(() => servers[0]!.ready, { message: "notifications/initialized arrived" })
      .toBe(true);
    client.close();
  });

  it("answers with JSON when the reply comes first, with an SSE stream when progress comes first", async () => {
    const { tool, release } = gatedTool();
    const { http } = await serve([...calculatorTools(), tool]);
    const session = await openSession(http.url);
    const headers = { "mcp-session-id": session };
    const plain = await post(
      http.url,
      {
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: "add", arguments: { a: 2, b: 2 } },
      },
      headers,
    );
    expect(plain.headers["content-type"]).toMatch(/^application\/json/);
    expect(await json(plain)).toMatchObject({
      id: 1,
      result: { structuredContent: { result: 4 } },
    });
    const streamed = await post(
      http.url,
      {
        jsonrpc: "2.0",
        id: 2,
        method: "tools/call",
        params: { name: "gated", arguments: {}, _meta: { progressToken: "p" } },
      },
      headers,
    );
    expect(streamed.headers["content-type"]).toBe("text/event-stream");
    const events = await readEvents(streamed, (seen) => {
      if (seen.length === 1) release();
      return seen.some((e) => JSON.parse(e.data).id === 2);
    });
    expect(events.map((e) => JSON.parse(e.data))).toEqual([
      {
        jsonrpc: "2.0",
        method: "notifications/progress",
        params: { progressToken: "p", progress: 1, total: 2 },
      },
      { jsonrpc: "2.0", id: 2, result: { content: [{ type: "text", text: "done" }] } },
    ]);
    expect(
      events.every((e) => e.id),
      "every event has an id to resume after",
    ).toBe(true);
  });

  it("refuses a request without a session (400), with an unknown one (404), and ends one with DELETE", async () => {
    const { http } = await serve();
    const ping = { jsonrpc: "2.0", id: 1, method: "ping" };
    expect(statusOf(await post(http.url, ping))).toBe(400);
    expect(statusOf(await post(http.url, ping, { "mcp-session-id": "not-a-session" }))).toBe(404);
    const session = await openSession(http.url);
    expect(await json(await post(http.url, ping, { "mcp-session-id": session }))).toMatchObject({
      result: {},
    });
    const ended = await request(http.url, {
      method: "DELETE",
      headers: { "mcp-session-id": session },
    });
    expect(statusOf(ended)).toBe(204);
    expect(
      statusOf(await post(http.url, ping, { "mcp-session-id": session })),
      "a deleted session is gone",
    ).toBe(404);
    expect(http.sessions).toBe(0);
  });

  it("opens a GET stream for messages the server sends on its own", async () => {
    const { http, servers } = await serve();
    const session = await openSession(http.url);
    const stream = await request(http.url, {
      headers: { accept: "text/event-stream", "mcp-session-id": session },
    });
    expect(stream.statusCode).toBe(200);
    servers[0]!.peer.notify("notifications/tools/list_changed");
    const events = await readEvents(stream, (seen) => seen.length === 1);
    expect(JSON.parse(events[0]!.data)).toEqual({
      jsonrpc: "2.0",
      method: "notifications/tools/list_changed",
    });
  });

  it("resumes a broken stream with Last-Event-ID: the reply it missed is replayed", async () => {
    const { tool, release } = gatedTool();
    const { http } = await serve([tool]);
    const session = await openSession(http.url);
    const headers = { "mcp-session-id": session };
    const first = await post(
      http.url,
      {
        jsonrpc: "2.0",
        id: 7,
        method: "tools/call",
        params: { name: "gated", arguments: {}, _meta: { progressToken: 1 } },
      },
      headers,
    );
    const [progress] = await readEvents(first, (seen) => seen.length === 1); // then the client drops it
    release();
    const resumed = await request(http.url, {
      headers: { ...headers, accept: "text/event-stream", "last-event-id": progress!.id! },
    });
    const events = await readEvents(resumed, (seen) => seen.length === 1);
    expect(JSON.parse(events[0]!.data)).toMatchObject({
      id: 7,
      result: { content: [{ text: "done" }] },
    });
  });
});
