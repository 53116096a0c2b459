import { calculator } from "../../shared/calculator.js";
import { calculatorClient } from "../../solutions/11-grpc/calculator-client.js";
import { GrpcClient } from "../../solutions/11-grpc/client.js";
import { calculatorService, serve } from "../../solutions/11-grpc/server.js";
import type { Service, Transport } from "../lib/transport.js";
import { callModule, MODULE_SERVICE, moduleProto, moduleService } from "../lib/grpc-module.js";

const CALCULATOR_SERVICE = "calc.Calculator";

/** The calculator itself (not a module that happens to have an add): calculator.proto fits it. */
function isCalculator(service: Service): boolean {
  const names = Object.keys(calculator) as (keyof typeof calculator)[];
  return (
    names.length === Object.keys(service).length &&
    names.every((name) => service[name] === calculator[name])
  );
}

/**
 * npm run call -- grpc://127.0.0.1:50051/calc.Calculator add 1 2   (npm run demo 11 server)
 * npm run call -- grpc://127.0.0.1:50051/course.Module shout '"hi"'  (npm run serve -- grpc://… m.ts)
 */
export const transport: Transport = {
  schemes: ["grpc:"],
  describe:
    "lesson 11, gRPC: grpc://127.0.0.1:50051/calc.Calculator (a module's functions: /course.Module)",
  async serve(url, service, { log }) {
    // The calculator as calculator.proto says (calc.Calculator), and every module, the
    // calculator too, as course.Module with JSON arguments.
    const calc = isCalculator(service);
    const server = await serve(
      { ...moduleService(service), ...(calc ? calculatorService : {}) },
      { host: url.hostname.replace(/^\[(.*)\]$/, "$1") || "127.0.0.1", port: Number(url.port) },
    );
    if (!calc) log(`its schema (a JSON string each way):\n${moduleProto(Object.keys(service))}`);
    return {
      url: `${server.url}/${calc ? CALCULATOR_SERVICE : MODULE_SERVICE}`,
      close: () => server.close(),
    };
  },
  async call(url, method, args, { timeoutMs }) {
    const client = await GrpcClient.connect(url.href);
    const options = { timeoutMs };
    const service = url.pathname.replace(/^\/+|\/+$/g, "") || CALCULATOR_SERVICE;
    try {
      if (service !== CALCULATOR_SERVICE) {
        return await callModule(client, service, method, args, options);
      }
      const calc = calculatorClient(client);
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
