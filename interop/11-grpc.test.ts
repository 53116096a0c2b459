import { describe, expect, it } from "vitest";
import { serve } from "../solutions/11-grpc/server.js";
import { requirePython, runPython } from "../shared/testing/python.js";
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
});
