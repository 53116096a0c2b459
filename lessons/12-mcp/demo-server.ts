import { parseArgs } from "node:util";
import { demoTools } from "./demo-tools.js";
import { newlineFraming } from "./framing.js";
import { serveStreamableHttp } from "./http-server.js";
import { McpServer } from "./server.js";
import { ownStdio } from "./stdio.js";

// The calculator as MCP tools, plus `countdown` and `workspace` (demo-tools.ts).
// npm run demo 12 server -- --port 8012    Streamable HTTP at http://127.0.0.1:8012/mcp
// npm run demo 12 server -- --stdio        stdin/stdout; every log line goes to stderr

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8012" },
      host: { type: "string", default: "127.0.0.1" },
      stdio: { type: "boolean", default: false },
    },
  });
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (values.stdio) {
    // stdout is the wire now: not one byte of it may be anything but a message.
    const server = new McpServer(ownStdio(newlineFraming), { tools: demoTools(), log });
    log("lesson 12 server: MCP over stdio (logs on stderr)");
    await server.peer.closed;
    return;
  }
  const http = await serveStreamableHttp(
    (channel) => new McpServer(channel, { tools: demoTools(), log }),
    { port: Number(values.port), host: values.host, log },
  );
  console.log(`lesson 12 server: MCP over Streamable HTTP at ${http.url}`);
  console.log(`try:  npm run call -- mcp+${http.url} add 1 2`);
  console.log(`      npm run demo 12 client -- --port ${http.port}`);
  console.log("Ctrl-C stops it.");
  process.once("SIGINT", () => {
    console.log("\nclosing the sessions");
    void http.close().then(() => console.log("closed"));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
