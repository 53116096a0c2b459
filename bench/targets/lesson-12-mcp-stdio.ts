import type { BenchClient, BenchServer } from "../harness/target.js";
import { connectStdio, stdioServer } from "./mcp-client.js";

/** Lesson 12's server as a child process, one JSON line each way on its stdin and stdout. */

export async function serve(): Promise<BenchServer> {
  return stdioServer("lessons/12-mcp/demo-server.ts");
}

export const connect = (file: string): Promise<BenchClient> => connectStdio(file);
