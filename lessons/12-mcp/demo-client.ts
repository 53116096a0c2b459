import { parseArgs } from "node:util";
import { McpClient } from "./client.js";
import { httpChannel } from "./http-client.js";

// npm run demo 12 client [-- --port 8012]   (start npm run demo 12 server first)

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8012" },
      host: { type: "string", default: "127.0.0.1" },
    },
  });
  const url = `http://${values.host}:${values.port}/mcp`;
  const client = await McpClient.connect(httpChannel(url), {
    clientInfo: { name: "lesson-12-demo", version: "1.0.0" },
    roots: [{ uri: `file://${process.cwd()}`, name: "this folder" }],
  });
  try {
    const { serverInfo, protocolVersion } = client.server;
    console.log(`connected to ${serverInfo.name} ${serverInfo.version}, MCP ${protocolVersion}`);
    const tools = await client.listTools();
    console.log("tools:", tools.map((tool) => tool.name).join(", "));
    const add = await client.callTool("add", { a: 1, b: 2 });
    console.log("add {a: 1, b: 2} →", add.content[0]?.text);
    const zero = await client.callTool("divide", { a: 1, b: 0 });
    console.log(`divide {a: 1, b: 0} → isError: ${zero.isError}, "${zero.content[0]?.text}"`);
    const roots = await client.callTool("workspace");
    console.log("workspace (the server asked us for our roots) →", roots.content[0]?.text);
    const controller = new AbortController();
    const countdown = client.callTool(
      "countdown",
      { n: 10 },
      {
        signal: controller.signal,
        onProgress: ({ progress, total, message }) => {
          console.log(`  progress ${progress}/${total}: ${message}`);
          if (progress === 3) controller.abort();
        },
      },
    );
    await countdown.catch((error: { code: string }) => console.log(`countdown → ${error.code}`));
  } finally {
    client.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
