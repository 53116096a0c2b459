import { calculatorClient } from "../../solutions/11-grpc/calculator-client.js";
import { GrpcClient } from "../../solutions/11-grpc/client.js";
import type { Transport } from "../lib/transport.js";

/** npm run call -- grpc://127.0.0.1:50051/calc.Calculator add 1 2   (npm run demo 11 server) */
export const transport: Transport = {
  schemes: ["grpc:"],
  describe: "lesson 11, gRPC: grpc://127.0.0.1:50051/calc.Calculator",
  async call(url, method, args, { timeoutMs }) {
    const client = await GrpcClient.connect(url.href);
    const calc = calculatorClient(client);
    const options = { timeoutMs };
    try {
      const [a, b, c] = args.map(Number);
      switch (method.toLowerCase()) {
        case "add":
        case "subtract":
        case "multiply":
        case "divide":
          return await calc[method.toLowerCase() as "add"](a!, b!, options);
        case "hello":
          return await calc.hello(String(args[0]), options);
        case "sum":
          return await calc.sum(args.map(Number), options);
        case "streamingrange": {
          const items: number[] = [];
          for await (const n of calc.streamingRange(a!, b!, c ?? 1, options)) items.push(n);
          return items;
        }
        default:
          throw new Error(`calc.Calculator has no method ${method}`);
      }
    } finally {
      await client.close();
    }
  },
};
