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
  agent.on("free", () => {}); // (the pool at work: a free socket waits for the next request)
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
  try {
    console.log("GET  /add?a=1&b=2              →", await calc.get("add", 1, 2));
    console.log("POST /rpc add [1, 2]           →", await calc.call("add", [1, 2]));
    console.log("POST /rpc hello ['Ada']        →", await calc.call("hello", ["Ada"]));
    for (const [method, args] of [
      ["divide", [1, 0]],
      ["power", [2, 8]],
    ] as const) {
      const error = await calc.call(method, [...args]).catch((e: Error) => e);
      console.log(`POST /rpc ${method} ${JSON.stringify(args)}`.padEnd(32), "→", String(error));
    }
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
