import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ListRootsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import * as rpc from "vscode-jsonrpc/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoTools } from "../solutions/12-mcp/demo-tools.js";
import { streamChannel } from "../solutions/12-mcp/channel.js";
import { McpClient } from "../solutions/12-mcp/client.js";
import { contentLengthFraming, newlineFraming } from "../solutions/12-mcp/framing.js";
import { httpChannel } from "../solutions/12-mcp/http-client.js";
import { serveStreamableHttp, type RunningMcpHttp } from "../solutions/12-mcp/http-server.js";
import { Method, PeerErrorCode } from "../solutions/12-mcp/messages.js";
import { Peer } from "../solutions/12-mcp/peer.js";
import { McpServer } from "../solutions/12-mcp/server.js";
import { spawnPeer } from "../solutions/12-mcp/stdio.js";
import type { Channel } from "../solutions/12-mcp/channel.js";
import { serveSdkHttp, type RunningSdkHttp } from "./12-sdk-server.js";

// Lesson 12 against the reference implementations of both protocols: the official MCP SDK
// (both roles, stdio and Streamable HTTP) and vscode-jsonrpc, LSP's own library.

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TSX = ["--import", "tsx", "--import", "./scripts/lib/tree-register.ts"];
const env = { ...process.env, COURSE_TREE: "solutions" } as Record<string, string>;
const ROOTS = [{ uri: "file:///home/me/project", name: "project" }];

/** The SDK's Client, offering roots, on a transport. */
async function sdkClient(transport: StdioClientTransport | StreamableHTTPClientTransport) {
  const client = new Client(
    { name: "sdk-client", version: "1.0.0" },
    { capabilities: { roots: {} } },
  );
  client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: ROOTS }));
  await client.connect(transport);
  return client;
}

const text = (result: unknown) =>
  (result as { content: { text: string }[] }).content.map((part) => part.text).join("");

/** What the SDK client checks against the lesson's server, over either transport. */
function sdkClientCalls(connect: () => Promise<Client>) {
  it("initializes, lists the tools with their schemas, and calls add", async () => {
    const client = await connect();
    try {
      expect(client.getServerVersion()).toMatchObject({ name: "course-calculator" });
      const { tools } = await client.listTools();
      expect(tools.find((tool) => tool.name === "add")?.inputSchema).toMatchObject({
        type: "object",
        required: ["a", "b"],
      });
      const add = await client.callTool({ name: "add", arguments: { a: 1, b: 2 } });
      expect(add.structuredContent).toEqual({ result: 3 });
      const zero = await client.callTool({ name: "divide", arguments: { a: 1, b: 0 } });
      expect(zero.isError, "a tool error is a result").toBe(true);
      await expect(client.callTool({ name: "nope", arguments: {} })).rejects.toThrow(
        /-32602|Unknown tool/,
      );
    } finally {
      await client.close();
    }
  });

  it("gets progress, cancels a call, and answers the server's roots/list mid-call", async () => {
    const client = await connect();
    try {
      const controller = new AbortController();
      const seen: number[] = [];
      const countdown = client.callTool({ name: "countdown", arguments: { n: 100 } }, undefined, {
        signal: controller.signal,
        onprogress: ({ progress }) => {
          seen.push(progress);
          if (seen.length === 2) controller.abort();
        },
      });
      await expect(countdown).rejects.toThrow();
      expect(seen).toEqual([0, 1]);
      const roots = await client.callTool({ name: "workspace", arguments: {} });
      expect(text(roots)).toBe("file:///home/me/project");
      await client.ping();
    } finally {
      await client.close();
    }
  });
}

describe("the SDK's Client calls lesson 12's server over stdio", () => {
  sdkClientCalls(() =>
    sdkClient(
      new StdioClientTransport({
        command: process.execPath,
        args: [...TSX, "lessons/12-mcp/demo-server.ts", "--stdio"],
        cwd: ROOT,
        env,
        stderr: "ignore",
      }),
    ),
  );
});

describe("the SDK's Client calls lesson 12's server over Streamable HTTP", () => {
  let http: RunningMcpHttp;
  beforeAll(async () => {
    http = await serveStreamableHttp(
      (channel) => new McpServer(channel, { tools: demoTools(), log: () => {} }),
      {
        log: () => {},
      },
    );
  });
  afterAll(() => http?.close());
  sdkClientCalls(() => sdkClient(new StreamableHTTPClientTransport(new URL(http.url))));
});

/** What the lesson's client checks against the SDK's server. */
function lessonClientCalls(channel: () => Channel) {
  it("initializes, calls add, and gets a tool error and a protocol error", async () => {
    const client = await McpClient.connect(channel(), { roots: ROOTS, log: () => {} });
    try {
      expect(client.server.serverInfo.name).toBe("sdk-calculator");
      expect((await client.listTools()).map((tool) => tool.name)).toContain("add");
      expect(text(await client.callTool("add", { a: 1, b: 2 }))).toBe("3");
      expect((await client.callTool("divide", { a: 1, b: 0 })).isError).toBe(true);
      const unknown = await client.callTool("nope", {}).then(
        (result) => result.isError, // newer SDKs report an unknown tool as a tool error
        (error: { code: string }) => error.code,
      );
      expect([true, "invalid_argument"]).toContain(unknown);
    } finally {
      client.close();
    }
  });

  it("gets progress, cancels with notifications/cancelled, and answers roots/list mid-call", async () => {
    const client = await McpClient.connect(channel(), { roots: ROOTS, log: () => {} });
    try {
      const controller = new AbortController();
      const seen: number[] = [];
      const countdown = client.callTool(
        "countdown",
        { n: 3 },
        {
          signal: controller.signal,
          onProgress: ({ progress }) => {
            seen.push(progress);
            if (seen.length === 3) controller.abort();
          },
        },
      );
      await expect(countdown).rejects.toMatchObject({ code: "canceled" });
      expect(seen).toEqual([1, 2, 3]);
      expect(text(await client.callTool("workspace"))).toBe("file:///home/me/project");
      await client.ping();
    } finally {
      client.close();
    }
  });
}

describe("lesson 12's client calls the SDK's server over stdio", () => {
  lessonClientCalls(
    () =>
      spawnPeer(process.execPath, [...TSX, "interop/12-sdk-server.ts", "--stdio"], newlineFraming, {
        env,
        log: () => {},
      }).channel,
  );
});

describe("lesson 12's client calls the SDK's server over Streamable HTTP", () => {
  let sdk: RunningSdkHttp;
  beforeAll(async () => {
    sdk = await serveSdkHttp();
  });
  afterAll(() => sdk?.close());
  lessonClientCalls(() => httpChannel(sdk.url));
});

describe("vscode-jsonrpc and lesson 12's Content-Length peer", () => {
  function connected() {
    const toLesson = new PassThrough();
    const toVscode = new PassThrough();
    const peer = new Peer(streamChannel(toLesson, toVscode, contentLengthFraming), {
      cancelMethod: Method.CancelRequest,
      log: () => {},
    });
    const vscode = rpc.createMessageConnection(
      new rpc.StreamMessageReader(toVscode),
      new rpc.StreamMessageWriter(toLesson),
    );
    return { peer, vscode };
  }

  it("calls both ways, with notifications", async () => {
    const { peer, vscode } = connected();
    const notified = new Promise((resolve) => peer.onNotification("textDocument/didOpen", resolve));
    peer.onRequest("add", ({ a, b }: { a: number; b: number }) => a + b);
    vscode.onRequest("textDocument/hover", (params: { line: number }) => ({
      contents: `line ${params.line}`,
    }));
    vscode.listen();
    expect(await vscode.sendRequest("add", { a: 1, b: 2 })).toBe(3);
    await vscode.sendNotification("textDocument/didOpen", { uri: "file:///a.ts" });
    expect(await notified).toEqual({ uri: "file:///a.ts" });
    expect(await peer.request("textDocument/hover", { line: 7 })).toEqual({ contents: "line 7" });
    await expect(vscode.sendRequest("nope")).rejects.toMatchObject({ code: -32601 });
    vscode.dispose();
    peer.close();
  });

  it("cancels both ways with $/cancelRequest", async () => {
    const { peer, vscode } = connected();
    let aborted!: () => void;
    const lessonSawIt = new Promise<void>((resolve) => (aborted = resolve));
    peer.onRequest(
      "slow",
      (_params, { signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener("abort", () => {
            aborted();
            reject(signal.reason);
          });
        }),
    );
    let vscodeSawIt!: () => void;
    const vscodeCancelled = new Promise<void>((resolve) => (vscodeSawIt = resolve));
    vscode.onRequest(
      "slow",
      (_params: unknown, token: rpc.CancellationToken) =>
        new Promise((resolve) =>
          token.onCancellationRequested(() => {
            vscodeSawIt();
            resolve(null);
          }),
        ),
    );
    vscode.listen();
    const source = new rpc.CancellationTokenSource();
    const call = vscode.sendRequest("slow", {}, source.token);
    setImmediate(() => source.cancel());
    await lessonSawIt;
    await expect(call, "the lesson answers -32800").rejects.toMatchObject({
      code: PeerErrorCode.RequestCancelled,
    });
    const controller = new AbortController();
    const ours = peer.request("slow", {}, { signal: controller.signal });
    setImmediate(() => controller.abort());
    await expect(ours).rejects.toMatchObject({ code: "canceled" });
    await vscodeCancelled;
    vscode.dispose();
    peer.close();
  });
});
