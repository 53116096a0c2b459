import { serveSdkHttp } from "../../interop/12-sdk-server.js";
import type { BenchClient, BenchServer } from "../harness/target.js";
import { connectHttp } from "./mcp-client.js";

/** The official MCP SDK's server (its Server with StreamableHTTPServerTransport) on node:http. */

export async function serve(): Promise<BenchServer> {
  const sdk = await serveSdkHttp();
  return { address: sdk.url, close: () => sdk.close() };
}

export const connect = (url: string): Promise<BenchClient> => connectHttp(url);
