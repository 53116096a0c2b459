import { afterEach, describe, expect, it } from "vitest";
import { calculatorClient } from "../../solutions/11-grpc/calculator-client.js";
import { GrpcClient } from "../../solutions/11-grpc/client.js";
import { serve } from "../../solutions/11-grpc/server.js";
import { transport as grpc } from "../transports/grpc.js";
import { http2Decoder } from "./http2.js";
import { startProxy, type Passed } from "./proxy.js";
import { callBytes, summaryText } from "./summary.js";
import { callThrough } from "./through.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function calculator(): Promise<URL> {
  const server = await serve();
  cleanups.push(() => server.close());
  return new URL(`${server.url}/calc.Calculator`);
}

describe("npm run wire -- grpc://, end to end through the proxy", () => {
  it("shows the preface, SETTINGS, the request's pseudo-headers, the Pair, the Number and the trailers", async () => {
    const { reply, passed } = await callThrough(
      grpc,
      http2Decoder,
      await calculator(),
      "add",
      [1, 2],
    );
    expect(reply).toBe(3);
    const toServer = passed.filter((m) => m.direction === "to-server").map((m) => m.title);
    const toClient = passed.filter((m) => m.direction === "to-client").map((m) => m.title);
    expect(toServer[0]).toBe("HTTP/2 connection preface (PRI * HTTP/2.0 … SM)");
    expect(toServer).toContainEqual(expect.stringMatching(/^SETTINGS, \d+ B/));
    expect(toServer).toContainEqual(
      expect.stringMatching(
        /^HEADERS stream 1 \[END_HEADERS\], \d+ B: POST \/calc\.Calculator\/Add$/,
      ),
    );
    expect(toServer).toContainEqual(
      expect.stringMatching(/^DATA stream 1( \[END_STREAM\])?, 23 B: Pair \{ a: 1, b: 2 \}$/),
    );
    expect(toClient).toContainEqual(
      expect.stringMatching(
        /^HEADERS stream 1 \[END_HEADERS\], \d+ B: :status 200 application\/grpc$/,
      ),
    );
    expect(toClient).toContainEqual("DATA stream 1, 14 B: Number { value: 3 }");
    expect(toClient).toContainEqual(
      expect.stringMatching(
        /^HEADERS stream 1 \[END_STREAM END_HEADERS\], \d+ B: trailers, grpc-status 0 OK$/,
      ),
    );
    const request = passed.find((m) => m.startsCall)!;
    expect(request.lines).toEqual(
      expect.arrayContaining([":method: POST", ":path: /calc.Calculator/Add", "te: trailers"]),
    );
    expect(passed.filter((m) => m.endsCall)).toHaveLength(1);
    // --summary: the call, its bytes each way, and the connection's setup apart from it.
    const { calls, setup } = callBytes(passed);
    expect(calls.map((c) => c.label)).toEqual(["Add (stream 1)"]);
    expect(calls[0]!.toServer).toBeGreaterThan(0);
    expect(calls[0]!.toClient).toBeGreaterThan(0);
    expect(setup[0]!.toServer, "the preface and SETTINGS").toBeGreaterThanOrEqual(24 + 9);
    expect(summaryText(passed)).toContain("C->>S: Add (stream 1)");
  });

  it("shows an error as a trailers-only reply with its grpc-message", async () => {
    const url = await calculator();
    const passed: Passed[] = [];
    const proxy = await startProxy({
      upstream: { host: url.hostname, port: Number(url.port) },
      decoder: http2Decoder,
      onMessage: (m) => passed.push(m),
    });
    cleanups.push(() => proxy.close());
    const client = await GrpcClient.connect(`grpc://127.0.0.1:${proxy.port}`);
    await expect(calculatorClient(client).divide(1, 0)).rejects.toThrow(/division by zero/);
    await client.close();
    await proxy.drain();
    expect(passed.filter((m) => m.endsCall).map((m) => m.title)).toEqual([
      expect.stringMatching(
        /^HEADERS stream 1 \[END_STREAM END_HEADERS\], \d+ B: :status 200, trailers-only, grpc-status 2 UNKNOWN \(DivisionByZeroError: division by zero\)$/,
      ),
    ]);
  });

  it("reads a streamed reply message by message", async () => {
    const { reply, passed } = await callThrough(
      grpc,
      http2Decoder,
      await calculator(),
      "streamingRange",
      [0, 3, 1],
    );
    expect(reply).toEqual([0, 1, 2]);
    const numbers = passed
      .filter((m) => m.direction === "to-client")
      .flatMap((m) => m.lines.filter((line) => line.startsWith("gRPC message")));
    expect(numbers).toEqual([
      "gRPC message, 0 B: Number { value: 0 }",
      "gRPC message, 9 B: Number { value: 1 }",
      "gRPC message, 9 B: Number { value: 2 }",
    ]);
  });
});
