import { calculatorClient } from "../../solutions/11-grpc/calculator-client.js";
import { GrpcClient } from "../../solutions/11-grpc/client.js";
import { serve as serveGrpc } from "../../solutions/11-grpc/server.js";
import type { BenchClient, BenchServer } from "../harness/target.js";

/** Lesson 11's solution: protobuf by hand, one HTTP/2 connection, a stream per call. */

export async function serve(): Promise<BenchServer> {
  const server = await serveGrpc();
  return { address: server.url, close: () => server.close() };
}

export async function connect(url: string): Promise<BenchClient> {
  const client = await GrpcClient.connect(url);
  const calc = calculatorClient(client);
  return { add: (a, b) => calc.add(a, b), close: () => client.close() };
}
