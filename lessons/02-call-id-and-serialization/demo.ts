import { calculator, type Calculator } from "../../shared/calculator.js";
import { ClientStub } from "./client-stub.js";
import { inMemoryWire } from "./in-memory-wire.js";
import { Registry } from "./registry.js";
import { ServerStub } from "./server-stub.js";

// One call through every step, with the bytes that cross the in-memory wire.
// npm run demo 2            (the reference solution)
// npm run demo 2 -- --mine  (your files)

const hex = (bytes: Uint8Array) =>
  Buffer.from(bytes).toString("hex").replace(/(..)/g, "$1 ").trim();

async function main() {
  // Both sides build the call-ID table from the same service: the same names get the same IDs.
  const table = Registry.fromService(calculator);
  console.log("call-ID table (the same on both sides):");
  for (const name of table.names())
    console.log(`  ${String(table.byName(name).id).padStart(2)}  ${name}`);

  const server = new ServerStub(Registry.fromService(calculator));
  const wire = inMemoryWire(server, (direction, bytes) => {
    const arrow = direction === "request" ? "client → server" : "server → client";
    console.log(`  ${arrow}  ${bytes.length} bytes: ${hex(bytes)}`);
  });
  const calc = new ClientStub(table, wire).stub<Calculator>();

  const calls: [string, () => Promise<unknown>][] = [
    ["calc.add(1, 2)", () => calc.add(1, 2)],
    ['calc.hello("世界")', () => calc.hello("世界")],
    ["calc.divide(1, 0)", () => calc.divide(1, 0)],
  ];
  for (const [label, run] of calls) {
    console.log(`\n${label}`);
    try {
      console.log(`  → ${JSON.stringify(await run())}`);
    } catch (error) {
      const { code, remoteName, message } = error as {
        code: string;
        remoteName?: string;
        message: string;
      };
      console.log(`  → throws RpcError code=${code} remoteName=${remoteName} message="${message}"`);
    }
  }
  console.log(
    "\nA call is 01, the call ID, then the arguments (tag 07 = array, 04 = float64, 05 = string)." +
      "\nA reply is 02 and the result, or 03 and the error's code, name and message.",
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
