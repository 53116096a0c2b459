import { parseArgs } from "node:util";
import { calculatorClient } from "../../solutions/11-grpc/calculator-client.js";
import { GrpcClient } from "../../solutions/11-grpc/client.js";

// npm run demo 11 client [-- --port 50051]   (start npm run demo 11 server first)

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "50051" },
      host: { type: "string", default: "127.0.0.1" },
    },
  });
  const client = await GrpcClient.connect(`grpc://${values.host}:${values.port}`);
  const calc = calculatorClient(client);
  try {
    console.log("add(1, 2) =", await calc.add(1, 2));
    console.log("hello('gRPC') =", await calc.hello("gRPC"));
    const range: number[] = [];
    for await (const n of calc.streamingRange(0, 10, 2)) range.push(n);
    console.log("streamingRange(0, 10, 2) =", range.join(", "));
    console.log("sum([1, 2, 3, 4]) =", await calc.sum([1, 2, 3, 4]));
    await calc.divide(1, 0).catch((error: { code: string; message: string }) => {
      console.log(`divide(1, 0) → ${error.code}: ${error.message}`);
    });
  } finally {
    await client.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
