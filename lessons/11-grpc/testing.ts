import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";
import { GrpcClient } from "./client.js";
import { serve, type ServeOptions, type Service, calculatorService } from "./server.js";

/** Helpers for this lesson's tests: real HTTP/2 on loopback, all closed after each test. */

const cleanups: (() => Promise<unknown> | void)[] = [];

export function later(cleanup: () => Promise<unknown> | void): void {
  cleanups.push(cleanup);
}

afterEach(async () => {
  const failures: unknown[] = [];
  while (cleanups.length) await Promise.resolve(cleanups.pop()!()).catch((e) => failures.push(e));
  if (failures.length) throw failures[0];
});

export const PROTO_FILE = fileURLToPath(new URL("./calculator.proto", import.meta.url));

/** calculator.proto as @grpc/grpc-js sees it (int64 as JS numbers). */
export function loadCalculatorPackage(): any {
  const definition = protoLoader.loadSync(PROTO_FILE, { longs: Number, defaults: true });
  return (grpc.loadPackageDefinition(definition) as any).calc;
}

/** The lesson's server on a free port, closed after the test. */
export async function startServer(
  service: Service = calculatorService,
  options: ServeOptions = {},
) {
  const server = await serve(service, { port: 0, ...options });
  later(() => server.close());
  return server;
}

/** The lesson's client, closed after the test. */
export async function connectClient(url: string): Promise<GrpcClient> {
  const client = await GrpcClient.connect(url);
  later(() => client.close());
  return client;
}

/** A grpc-js client of the Calculator service, closed after the test. */
export function grpcJsClient(url: string): any {
  const Calculator = loadCalculatorPackage().Calculator;
  const client = new Calculator(new URL(url).host, grpc.credentials.createInsecure());
  later(() => client.close());
  return client;
}

/** Calls a grpc-js unary method as a promise. */
export function unaryJs(
  client: any,
  method: string,
  request: object,
  options: grpc.CallOptions = {},
  metadata = new grpc.Metadata(),
): Promise<any> {
  return new Promise((resolve, reject) =>
    client[method](request, metadata, options, (error: unknown, reply: unknown) =>
      error ? reject(error) : resolve(reply),
    ),
  );
}

/** A grpc-js server implementing Calculator with `implementation`, on a free port. */
export async function startGrpcJsServer(
  implementation: grpc.UntypedServiceImplementation,
): Promise<string> {
  const server = new grpc.Server();
  server.addService(loadCalculatorPackage().Calculator.service, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(error) : resolve(port),
    ),
  );
  later(() => new Promise<void>((resolve) => server.tryShutdown(() => resolve())));
  return `grpc://127.0.0.1:${port}`;
}
