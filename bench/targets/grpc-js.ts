import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { fileURLToPath } from "node:url";
import type { BenchClient, BenchServer } from "../harness/target.js";

/** @grpc/grpc-js with @grpc/proto-loader, server and client, loading lesson 11's .proto. */

const PROTO = fileURLToPath(new URL("../../solutions/11-grpc/calculator.proto", import.meta.url));

function calculatorPackage(): any {
  const definition = protoLoader.loadSync(PROTO, { longs: Number, defaults: true });
  return (grpc.loadPackageDefinition(definition) as any).calc;
}

export async function serve(): Promise<BenchServer> {
  const server = new grpc.Server();
  server.addService(calculatorPackage().Calculator.service, {
    Add: (call: grpc.ServerUnaryCall<any, any>, done: grpc.sendUnaryData<any>) =>
      done(null, { value: call.request.a + call.request.b }),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(error) : resolve(port),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

export async function connect(address: string): Promise<BenchClient> {
  const client = new (calculatorPackage().Calculator)(
    address.replace(/^grpc:\/\//, ""),
    grpc.credentials.createInsecure(),
  );
  return {
    add: (a, b) =>
      new Promise((resolve, reject) =>
        client.Add({ a, b }, (error: Error | null, reply: { value: number }) =>
          error ? reject(error) : resolve(reply.value),
        ),
      ),
    close: async () => client.close(),
  };
}
