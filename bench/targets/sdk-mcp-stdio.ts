import type { BenchClient, BenchServer } from "../harness/target.js";
import { connectStdio, stdioServer } from "./mcp-client.js";

/** The official MCP SDK's Server with StdioServerTransport, as a child process. */

export async function serve(): Promise<BenchServer> {
  return stdioServer("interop/12-sdk-server.ts");
}

export const connect = (file: string): Promise<BenchClient> => connectStdio(file);
