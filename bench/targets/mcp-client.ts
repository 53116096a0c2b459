import type { Channel } from "../../solutions/12-mcp/channel.js";
import { McpClient } from "../../solutions/12-mcp/client.js";
import { newlineFraming } from "../../solutions/12-mcp/framing.js";
import { httpChannel } from "../../solutions/12-mcp/http-client.js";
import { spawnPeer } from "../../solutions/12-mcp/stdio.js";
import type { BenchClient, BenchServer } from "../harness/target.js";

/**
 * The MCP rows share one client, lesson 12's, so that the lesson's rows and the SDK's rows
 * compare servers only. Over stdio the server is the client's child process (that is what
 * stdio means), so the server worker holds nothing and the client spawns the server.
 */

/** A stdio "server" for the harness: the address is the file the client will spawn. */
export function stdioServer(file: string): BenchServer {
  return { address: file, close: async () => {} };
}

export function spawnStdioServer(file: string): Channel {
  return spawnPeer(
    process.execPath,
    ["--import", "tsx", "--import", "./scripts/lib/tree-register.ts", file, "--stdio"],
    newlineFraming,
    { env: { ...process.env, COURSE_TREE: "solutions" }, log: () => {} },
  ).channel;
}

export async function mcpBenchClient(channel: Channel): Promise<BenchClient> {
  const client = await McpClient.connect(channel, { log: () => {} });
  return {
    async add(a, b) {
      const result = await client.callTool("add", { a, b });
      if (result.isError) throw new Error(result.content[0]?.text);
      return Number(result.content[0]!.text);
    },
    async close() {
      client.close();
    },
  };
}

export const connectHttp = (url: string) => mcpBenchClient(httpChannel(url));
export const connectStdio = (file: string) => mcpBenchClient(spawnStdioServer(file));
