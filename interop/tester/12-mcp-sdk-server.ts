// The MCP TypeScript SDK's own server, serving the calculator as tools over stdio:
// `npm run tester 12 -- node --import tsx interop/tester/12-mcp-sdk-server.ts`.
// A division by zero is a tool result with isError: true, as the MCP specification asks of
// errors that happen while a tool runs.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { calculator } from "../../shared/calculator.js";

const server = new McpServer({ name: "calculator", version: "1.0.0" });
const pair = { a: z.number(), b: z.number() };
const text = (value: unknown) => ({ content: [{ type: "text" as const, text: String(value) }] });

for (const name of ["add", "subtract", "multiply", "divide"] as const) {
  server.registerTool(name, { description: `${name}(a, b)`, inputSchema: pair }, ({ a, b }) => {
    try {
      return text(calculator[name](a, b));
    } catch (error) {
      return { ...text((error as Error).message), isError: true };
    }
  });
}
server.registerTool(
  "hello",
  { description: "a greeting", inputSchema: { name: z.string() } },
  ({ name }) => text(calculator.hello(name)),
);

await server.connect(new StdioServerTransport());
