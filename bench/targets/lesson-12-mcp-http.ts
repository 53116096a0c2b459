import { calculatorTools } from "../../solutions/12-mcp/calculator-tools.js";
import { serveStreamableHttp } from "../../solutions/12-mcp/http-server.js";
import { McpServer } from "../../solutions/12-mcp/server.js";
import type { BenchClient, BenchServer } from "../harness/target.js";
import { connectHttp } from "./mcp-client.js";

/** Lesson 12's server over Streamable HTTP: tools/call add, one POST per call. */

export async function serve(): Promise<BenchServer> {
  const tools = calculatorTools();
  const http = await serveStreamableHttp((channel) => new McpServer(channel, { tools }));
  return { address: http.url, close: () => http.close() };
}

export const connect = (url: string): Promise<BenchClient> => connectHttp(url);
