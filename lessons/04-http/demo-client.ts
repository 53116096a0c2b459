import { Agent } from "node:http";
import type { Socket } from "node:net";
import { parseArgs } from "node:util";
import { HttpRpcClient } from "./client.js";

// Calls the demo server both ways, then shows what keep-alive saves.
// npm run demo 4 client
// npm run demo 4 client -- --url http://127.0.0.1:9000

const { values } = parseArgs({
  options: { url: { type: "string", default: "http://127.0.0.1:8004" } },
});

/** An agent that counts the TCP connections it opens. */
function countingAgent(keepAlive: boolean): { agent: Agent; connections: () => number } {
  const agent = new Agent({ keepAlive });
  let opened = 0;
  const create = agent.createConnection.bind(agent);
  agent.createConnection = ((...args: Parameters<Agent["createConnection"]>) => {
    opened += 1;
    return create(...args) as Socket;
  }) as Agent["createConnection"];
  return { agent, connections: () => opened };
}

async function timeCalls(keepAlive: boolean, calls: number) {
  const { agent, connections } = countingAgent(keepAlive);
  const client = new HttpRpcClient(values.url, { agent });
  const started = performance.now();
  for (let i = 0; i < calls; i++) await client.call("add", [i, 1]);
  const ms = performance.now() - started;
  agent.destroy();
  return { ms, connections: connections() };
}

async function main() {
  const calc = new HttpRpcClient(values.url);
  const show = async (label: string, call: () => Promise<unknown>) => {
    const outcome = await call().catch((error: unknown) => String(error));
    console.log(label.padEnd(30), "→", outcome);
  };
  try {
    await show("GET  /add?a=1&b=2", () => calc.get("add", 1, 2));
    await show("POST /rpc add [1,2]", () => calc.call("add", [1, 2]));
    await show('POST /rpc hello ["Ada"]', () => calc.call("hello", ["Ada"]));
    await show("POST /rpc divide [1,0]", () => calc.call("divide", [1, 0]));
    await show("POST /rpc power [2,8]", () => calc.call("power", [2, 8]));
  } finally {
    calc.close();
  }

  const calls = 500;
  const reused = await timeCalls(true, calls);
  const fresh = await timeCalls(false, calls);
  console.log(`\n${calls} sequential calls:`);
  console.log(
    `  keep-alive agent       ${String(reused.connections).padStart(3)} connection(s)  ${reused.ms.toFixed(0)} ms`,
  );
  console.log(
    `  a new connection each  ${String(fresh.connections).padStart(3)} connection(s)  ${fresh.ms.toFixed(0)} ms`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
