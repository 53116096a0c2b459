import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { calculator } from "../../../shared/calculator.js";

/**
 * The MCP SDK's server with the calculator as tools, on stdio. MUTANT=divide-not-error answers
 * a division by zero as a plain result, without isError: the model would take it as an answer.
 * MUTANT=asks-roots is no fault: its hello asks the client for its roots (roots/list) before
 * answering, a request from server to client in the middle of a call.
 */
const server = new McpServer({ name: "calculator", version: "1.0.0" });
const text = (value: unknown) => ({ content: [{ type: "text" as const, text: String(value) }] });
for (const name of ["add", "subtract", "multiply", "divide"] as const) {
  server.registerTool(name, { inputSchema: { a: z.number(), b: z.number() } }, ({ a, b }) => {
    try {
      return text(calculator[name](a, b));
    } catch (error) {
      const failed = text((error as Error).message);
      return process.env.MUTANT === "divide-not-error" ? failed : { ...failed, isError: true };
    }
  });
}
server.registerTool("hello", { inputSchema: { name: z.string() } }, async ({ name }) => {
  if (process.env.MUTANT === "asks-roots") await server.server.listRoots();
  return text(calculator.hello(name));
});
await server.connect(new StdioServerTransport());
