import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  ListRootsResultSchema,
  ListToolsRequestSchema,
  McpError,
} from "@modelcontextprotocol/sdk/types.js";

/**
 * The official SDK's server with the tools lesson 12's client is tested against: `add`,
 * `divide` (a tool error for zero), `countdown` (progress, then waits until cancelled) and
 * `workspace` (asks the client for its roots mid-call). Its low-level `Server`, with the
 * schemas written as JSON Schema, as lesson 12 writes them. Run with --stdio as a child
 * process, or call serveSdkHttp() for Streamable HTTP.
 */

const twoNumbers = {
  type: "object" as const,
  properties: { a: { type: "number" }, b: { type: "number" } },
  required: ["a", "b"],
};

const TOOLS = [
  { name: "add", description: "a + b", inputSchema: twoNumbers },
  { name: "divide", description: "a / b", inputSchema: twoNumbers },
  {
    name: "countdown",
    description: "reports progress, then waits until cancelled",
    inputSchema: { type: "object" as const, properties: { n: { type: "number" } } },
  },
  {
    name: "workspace",
    description: "the client's roots",
    inputSchema: { type: "object" as const },
  },
];

const text = (value: string, isError = false) => ({
  content: [{ type: "text" as const, text: value }],
  ...(isError ? { isError } : {}),
});

export function sdkServer(): Server {
  const server = new Server(
    { name: "sdk-calculator", version: "1.0.0" },
    { capabilities: { tools: {} } },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: TOOLS }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const args = (request.params.arguments ?? {}) as Record<string, number>;
    switch (request.params.name) {
      case "add":
        return text(String(args.a! + args.b!));
      case "divide":
        return args.b === 0 ? text("division by zero", true) : text(String(args.a! / args.b!));
      case "countdown": {
        const token = request.params._meta?.progressToken;
        for (let i = 1; i <= args.n! && token !== undefined; i++) {
          await extra.sendNotification({
            method: "notifications/progress",
            params: { progressToken: token, progress: i, total: args.n! },
          });
        }
        await new Promise((resolve) => extra.signal.addEventListener("abort", resolve));
        return text("cancelled");
      }
      case "workspace": {
        const { roots } = await extra.sendRequest({ method: "roots/list" }, ListRootsResultSchema);
        return text(roots.map((root) => root.uri).join(" "));
      }
      default:
        throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    }
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
