import { describe, expect, it } from "vitest";
import { serve } from "../solutions/11-grpc/server.js";
import { GrpcClient } from "../solutions/11-grpc/client.js";
import { calculatorClient } from "../solutions/11-grpc/calculator-client.js";
import { NumberMessage, Pair } from "../solutions/11-grpc/messages.js";
import { RpcError } from "../shared/rpc-error.js";
import { requirePython, runPython, startPython } from "../shared/testing/python.js";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const PEER = { modules: ["grpc"], debianPackage: "python3-grpcio" };
const script = (name: string) =>
  readFileSync(fileURLToPath(new URL(name, import.meta.url)), "utf8");

describe("lesson 11 with Python grpcio", () => {
  it("grpcio calls the course's server: unary, an error, unknown method, both streams", async () => {
    requirePython(PEER);
    const server = await serve();
    try {
      const out = await runPython(script("./11-grpcio-client.py"), [`127.0.0.1:${server.port}`]);
      expect(out.trim().split("\n")).toEqual([
        "add 3.0",
        "divide UNKNOWN DivisionByZeroError: division by zero",
        "power UNIMPLEMENTED",
        "range [0.0, 2.0, 4.0]",
        "sum 6.0",
      ]);
    } finally {
      await server.close();
    }
  });

  it("the course's client calls a grpcio server: unary, an error, a deadline, unknown, streams", async () => {
    requirePython(PEER);
    const peer = await startPython(script("./11-grpcio-server.py"));
    const client = await GrpcClient.connect(`http://127.0.0.1:${peer.ready}`);
    try {
      const calc = calculatorClient(client);
      expect(await calc.add(1, 2)).toBe(3);
      await expect(calc.divide(1, 0)).rejects.toMatchObject({
        code: "invalid_argument",
        message: expect.stringContaining("division by zero"),
      });
      const slow = client.unary(
        "/calc.Calculator/Slow",
        { request: Pair, response: NumberMessage },
        { a: 1, b: 1 },
        { timeoutMs: 200 },
      );
      await expect(
        slow,
        "grpc-timeout reaches grpcio, and our client enforces it",
      ).rejects.toMatchObject({
        code: "deadline_exceeded",
      });
      const unknown = await calc.multiply(2, 3).catch((e: unknown) => e);
      expect(unknown).toBeInstanceOf(RpcError);
      expect((unknown as RpcError).code).toBe("unknown_method");
      const items: number[] = [];
      for await (const n of calc.streamingRange(0, 5, 2)) items.push(n);
      expect(items).toEqual([0, 2, 4]);
      expect(await calc.sum([1, 2, 3])).toBe(6);
    } finally {
      await client.close();
      await peer.stop();
    }
  });
});
