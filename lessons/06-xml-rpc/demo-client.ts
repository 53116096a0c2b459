import { RpcError } from "../../shared/rpc-error.js";
import type { Calculator } from "../../shared/calculator.js";
import { XmlRpcClient } from "./client.js";
import { encodeCall, encodeResponse } from "./messages.js";

// Calls the demo server (npm run demo 6 server), as the article's xmlrpc.client did.
// npm run demo 6 client [-- --port 8088]

const portFlag = process.argv.indexOf("--port");
const port = portFlag === -1 ? 8088 : Number(process.argv[portFlag + 1]);

async function main() {
  // What travels: the same call in XML-RPC and in JSON-RPC 2.0.
  const xmlCall = encodeCall("add", [1, 2]);
  const xmlReply = encodeResponse(3);
  const jsonCall = JSON.stringify({ jsonrpc: "2.0", method: "add", params: [1, 2], id: 1 });
  const jsonReply = JSON.stringify({ jsonrpc: "2.0", result: 3, id: 1 });
  const bytes = (text: string) => String(Buffer.byteLength(text)).padStart(4);
  console.log("add(1, 2) on the wire (bodies only, without HTTP headers):");
  console.log(`  XML-RPC   call ${bytes(xmlCall)} bytes   reply ${bytes(xmlReply)} bytes`);
  console.log(`  JSON-RPC  call ${bytes(jsonCall)} bytes   reply ${bytes(jsonReply)} bytes`);
  console.log(`  ${xmlCall}\n`);

  const client = new XmlRpcClient(`http://127.0.0.1:${port}/RPC2`);
  try {
    const calc = client.stub<Calculator>({ timeoutMs: 5_000 });
    console.log("add(2, 3)      →", await calc.add(2, 3));
    console.log("subtract(2, 3) →", await calc.subtract(2, 3));
    console.log("multiply(2, 3) →", await calc.multiply(2, 3));
    console.log("divide(2, 3)   →", await calc.divide(2, 3));
    console.log("hello('Ada')   →", await calc.hello("Ada"));
    try {
      await calc.divide(1, 0);
    } catch (error) {
      const e = error as RpcError & { faultCode?: number };
      console.log(`divide(1, 0)   → fault ${e.faultCode}: ${e.code} ${e.remoteName}: ${e.message}`);
    }
    console.log("system.listMethods →", await client.call("system.listMethods"));
    console.log(
      "system.methodHelp('divide') →",
      await client.call("system.methodHelp", ["divide"]),
    );

    const results = await client.multicall([
      { method: "add", params: [1, 2] },
      { method: "divide", params: [1, 0] },
      { method: "hello", params: ["multicall"] },
    ]);
    console.log("system.multicall, three calls in one request →");
    for (const result of results) {
      console.log(
        "   ",
        result.status === "fulfilled" ? result.value : `fault: ${result.reason.message}`,
      );
    }

    // The article's complaint about SimpleXMLRPCServer: one slow call blocks everyone.
    // Here the quick call answers while the slow one is still waiting.
    const order: string[] = [];
    const slow = client.call("slow", [1000]).then((v) => order.push(`slow(1000): ${String(v)}`));
    const quick = client.call("add", [40, 2]).then((v) => order.push(`add(40, 2): ${String(v)}`));
    await Promise.all([slow, quick]);
    console.log("a slow call and a quick one, sent together, answered in this order:");
    for (const line of order) console.log("   ", line);
  } finally {
    client.close();
  }
}

main().catch((error: unknown) => {
  const e = RpcError.from(error);
  console.error(`error: ${e.code}: ${e.message}`);
  if (e.code === "unavailable") console.error("is the server running? npm run demo 6 server");
  process.exitCode = 1;
});
