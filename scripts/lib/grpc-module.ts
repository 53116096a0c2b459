import { RpcError } from "../../shared/rpc-error.js";
import type { GrpcCallOptions, GrpcClient } from "../../solutions/11-grpc/client.js";
import type { Schema } from "../../solutions/11-grpc/messages.js";
import type { Method, Service as GrpcService } from "../../solutions/11-grpc/server.js";
import type { Service } from "./transport.js";

/**
 * Any module's functions over gRPC (npm run serve -- grpc://… module.ts). A JavaScript function
 * declares no types a .proto could name, so each method carries JSON text in one string field:
 * the arguments as a JSON array, the result as the JSON of the returned value.
 */
export const MODULE_SERVICE = "course.Module";

export const Arguments = { json: { no: 1, type: "string" } } satisfies Schema;
export const Result = { json: { no: 1, type: "string" } } satisfies Schema;

/** The .proto of a module's service, printed by npm run serve for grpcio and grpc-js users. */
export function moduleProto(names: string[]): string {
  return [
    'syntax = "proto3";',
    "package course;",
    "service Module {",
    ...names.map((name) => `  rpc ${name} (Arguments) returns (Result);`),
    "}",
    "message Arguments { string json = 1; }  // the arguments, a JSON array: [1, 2]",
    "message Result { string json = 1; }     // the returned value as JSON",
  ].join("\n");
}

/** One unary method per function: /course.Module/<name>. */
export function moduleService(service: Service): GrpcService {
  const methods: GrpcService = Object.create(null);
  for (const name of Object.keys(service)) {
    const method: Method = {
      kind: "unary",
      request: Arguments,
      response: Result,
      async handle({ json }: { json: string }) {
        let args: unknown;
        try {
          args = JSON.parse(json || "[]");
        } catch {
          throw new RpcError("invalid_argument", "Arguments.json is not JSON");
        }
        if (!Array.isArray(args)) {
          throw new RpcError("invalid_argument", "Arguments.json must be a JSON array");
        }
        const value = await service[name]!(...args);
        return { json: JSON.stringify(value) ?? "null" };
      },
    };
    methods[`/${MODULE_SERVICE}/${name}`] = method;
  }
  return methods;
}

/** The client side: calls /course.Module/<name> with the arguments as JSON. */
export async function callModule(
  client: GrpcClient,
  service: string,
  name: string,
  args: unknown[],
  options: GrpcCallOptions,
): Promise<unknown> {
  const types = { request: Arguments, response: Result };
  const reply = await client.unary(
    `/${service}/${name}`,
    types,
    { json: JSON.stringify(args) },
    options,
  );
  return reply.json === "" ? undefined : (JSON.parse(reply.json) as unknown);
}
