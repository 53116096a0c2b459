import * as grpc from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { calculatorClient } from "./calculator-client.js";
import { connectClient, startGrpcJsServer } from "./testing.js";

type Callback = (error: Partial<grpc.StatusObject> | null, reply?: object) => void;

/** A grpc-js server of Calculator: add and divide, plus a method that never answers. */
async function grpcJsCalculator(
  seen: { metadata?: grpc.Metadata; cancelled?: Promise<void> } = {},
) {
  let cancelled!: () => void;
  seen.cancelled = new Promise((resolve) => (cancelled = resolve));
  return startGrpcJsServer({
    Add(call: grpc.ServerUnaryCall<any, any>, done: Callback) {
      seen.metadata = call.metadata;
      done(null, { value: call.request.a + call.request.b });
    },
    Divide(call: grpc.ServerUnaryCall<any, any>, done: Callback) {
      if (call.request.b === 0)
        return done({ code: grpc.status.INVALID_ARGUMENT, details: "division by zero" });
      done(null, { value: call.request.a / call.request.b });
    },
    Multiply(call: grpc.ServerUnaryCall<any, any>) {
      call.on("cancelled", () => cancelled()); // never answers: only the client can end it
    },
    Hello(call: grpc.ServerUnaryCall<any, any>, done: Callback) {
      done(null, { message: `Hello, ${call.request.name}!` });
    },
  });
}

describe("task 6: a gRPC client on node:http2", () => {
  it("calls a grpc-js server, many calls on one connection", async () => {
    const calc = calculatorClient(await connectClient(await grpcJsCalculator()));
    expect(await calc.add(1, 2)).toBe(3);
    expect(await Promise.all([1, 2, 3].map((n) => calc.add(n, n)))).toEqual([2, 4, 6]);
    expect(await calc.hello("héllo ✓")).toBe("Hello, héllo ✓!");
  });

  it("turns grpc-status and grpc-message into an RpcError", async () => {
    const calc = calculatorClient(await connectClient(await grpcJsCalculator()));
    await expect(calc.divide(1, 0)).rejects.toMatchObject({
      code: "invalid_argument",
      message: "division by zero",
    });
    await expect(calc.subtract(1, 0), "grpc-js answers UNIMPLEMENTED").rejects.toMatchObject({
      code: "unknown_method",
    });
  });

  it("sends metadata as headers", async () => {
    const seen: { metadata?: grpc.Metadata } = {};
    const calc = calculatorClient(await connectClient(await grpcJsCalculator(seen)));
    await calc.add(1, 2, { metadata: { "x-user": "ada" } });
    expect(seen.metadata?.get("x-user")).toEqual(["ada"]);
  });

  it("enforces its deadline, and the server sees the call cancelled", async () => {
    const seen: { cancelled?: Promise<void> } = {};
    const calc = calculatorClient(await connectClient(await grpcJsCalculator(seen)));
    await expect(calc.multiply(2, 3, { timeoutMs: 50 })).rejects.toMatchObject({
      code: "deadline_exceeded",
    });
    await seen.cancelled;
    expect(await calc.add(1, 1), "the connection still serves").toBe(2);
  });

  it("cancels with an AbortSignal, and refuses an already aborted one", async () => {
    const seen: { cancelled?: Promise<void> } = {};
    const calc = calculatorClient(await connectClient(await grpcJsCalculator(seen)));
    const controller = new AbortController();
    const call = calc.multiply(2, 3, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(call).rejects.toMatchObject({ code: "canceled" });
    await seen.cancelled;
    await expect(calc.add(1, 2, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: "canceled",
    });
  });
});
