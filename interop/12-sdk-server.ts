import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { ListRootsResultSchema } from "@modelcontextprotocol/sdk/types.js";
import * as z from "zod";

/**
 * The official SDK's server with the tools lesson 12's client is tested against: `add`,
 * `divide` (a tool error for zero), `countdown` (progress, then waits until cancelled) and
 * `workspace` (asks the client for its roots mid-call). Run with --stdio as a child process,
 * or call serveSdkHttp() for Streamable HTTP.
 */

export function sdkServer(): McpServer {
  const server = new McpServer({ name: "sdk-calculator", version: "1.0.0" });
  const twoNumbers = { a: z.number(), b: z.number() };
  server.registerTool("add", { description: "a + b", inputSchema: twoNumbers }, ({ a, b }) => ({
    content: [{ type: "text", text: String(a + b) }],
  }));
  server.registerTool("divide", { description: "a / b", inputSchema: twoNumbers }, ({ a, b }) =>
    b === 0
      ? { content: [{ type: "text", text: "division by zero" }], isError: true }
      : { content: [{ type: "text", text: String(a / b) }] },
  );
  server.registerTool(
    "countdown",
    { description: "reports progress, then waits until cancelled", inputSchema: { n: z.number() } },
    async ({ n }, extra) => {
      const token = extra._meta?.progressToken;
      for (let i = 1; i <= n && token !== undefined; i++) {
        await extra.sendNotification({
          method: "notifications/progress",
          params: { progressToken: token, progress: i, total: n },
        });
      }
      await new Promise((resolve) => extra.signal.addEventListener("abort", resolve));
      return { content: [{ type: "text", text: "cancelled" }] };
    },
  );
  server.registerTool("workspace", { description: "the client's roots" }, async (extra) => {
    const { roots } = await extra.sendRequest({ method: "roots/list" }, ListRootsResultSchema);
    return { content: [{ type: "text", text: roots.map((root) => root.uri).join(" ") }] };
  });
  return server;
}

export interface RunningSdkHttp {
  url: string;
  close(): Promise<void>;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) parts.push(chunk);
  return parts.length ? JSON.parse(Buffer.concat(parts).toString("utf8")) : undefined;
}

/** The SDK's Streamable HTTP transport, one per session, on node:http at /mcp. */
export async function serveSdkHttp(): Promise<RunningSdkHttp> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const http = createServer(async (request, response) => {
    const id = request.headers["mcp-session-id"];
    const body = request.method === "POST" ? await readJson(request) : undefined;
    let transport = typeof id === "string" ? transports.get(id) : undefined;
    if (!transport) {
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sessionId) => void transports.set(sessionId, transport!),
      });
      await sdkServer().connect(transport);
    }
    await transport.handleRequest(request, response, body);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    async close() {
      await Promise.all([...transports.values()].map((t) => t.close()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

if (process.argv.includes("--stdio")) {
  await sdkServer().connect(new StdioServerTransport());
}
