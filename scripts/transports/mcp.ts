import { calculator } from "../../shared/calculator.js";
import { RpcError } from "../../shared/rpc-error.js";
import { CALCULATOR_SPECS } from "../../solutions/12-mcp/calculator-tools.js";
import { McpClient } from "../../solutions/12-mcp/client.js";
import { httpChannel } from "../../solutions/12-mcp/http-client.js";
import { MCP_PATH, serveStreamableHttp } from "../../solutions/12-mcp/http-server.js";
import { McpServer } from "../../solutions/12-mcp/server.js";
import { serviceTools } from "../../solutions/12-mcp/tools.js";
import type { Transport } from "../lib/transport.js";

/**
 * npm run call -- mcp+http://127.0.0.1:8012/mcp add 1 2      MCP over Streamable HTTP (lesson 12)
 * Positional arguments fill the tool's input schema in order (add 1 2 → {a: 1, b: 2});
 * `key=value` arguments name them. `tools/list` as the method lists the tools.
 */
export const transport: Transport = {
  schemes: ["mcp+http:"],
  describe:
    "lesson 12, MCP over Streamable HTTP: mcp+http://127.0.0.1:8012/mcp  (tools/list lists the tools)",
  async call(url, method, args, { timeoutMs }) {
    const endpoint = new URL(url.href.replace(/^mcp\+/, ""));
    const client = await McpClient.connect(httpChannel(endpoint), { timeoutMs });
    try {
      const tools = await client.listTools({ timeoutMs });
      if (method === "tools/list") return tools; // names, descriptions and schemas, as JSON
      const tool = tools.find((t) => t.name === method);
      if (!tool) {
        throw new RpcError(
          "unknown_method",
          `no tool "${method}"; the server has: ${tools.map((t) => t.name).join(", ")}`,
        );
      }
      const names = Object.keys(tool.inputSchema.properties ?? {});
      const named: Record<string, unknown> = {};
      args.forEach((arg, index) => {
        const pair = typeof arg === "string" ? /^([A-Za-z_$][\w$]*)=(.*)$/s.exec(arg) : null;
        if (pair) named[pair[1]!] = parseValue(pair[2]!);
        else named[names[index] ?? `arg${index}`] = arg;
      });
      const result = await client.callTool(method, named, { timeoutMs });
      const text = result.content.map((part) => part.text).join("\n");
      if (result.isError) throw new RpcError("remote_error", text, { remoteName: "tool error" });
      return result.structuredContent && "result" in result.structuredContent
        ? result.structuredContent.result
        : text;
    } finally {
      client.close();
    }
  },
  async serve(url, service, { log }) {
    const specs = service.add === calculator.add ? CALCULATOR_SPECS : {};
    const tools = serviceTools(service, specs);
    const http = await serveStreamableHttp((channel) => new McpServer(channel, { tools, log }), {
      host: url.hostname,
      port: Number(url.port),
      log,
    });
    return { url: `mcp+${http.url.replace(MCP_PATH, "")}${MCP_PATH}`, close: () => http.close() };
  },
};

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
