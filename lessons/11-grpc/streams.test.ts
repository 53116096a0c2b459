import * as grpc from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { calculatorClient } from "./calculator-client.js";
import { connectClient, grpcJsClient, startGrpcJsServer, startServer } from "./testing.js";

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe("task 7: server streaming and client streaming", () => {
  it("streams a range to a grpc-js client, and sums a grpc-js client's stream", async () => {
    const client = grpcJsClient((await startServer()).url);
    const call = client.StreamingRange({ from: -2, to: 5, step: 2 });
    expect((await collect<any>(call)).map((n) => n.value)).toEqual([-2, 0, 2, 4]);
    const sum = await new Promise<any>((resolve, reject) => {
      const upload = client.Sum((error: unknown, reply: unknown) =>
        error ? reject(error) : resolve(reply),
      );
      for (const value of [1, 2, 3.5]) upload.write({ value });
      upload.end();
    });
    expect(sum).toEqual({ value: 6.5 });
  });

  it("reads a grpc-js server's stream as an async iterator, and streams numbers to it", async () => {
    const url = await startGrpcJsServer({
      StreamingRange(call: grpc.ServerWritableStream<any, any>) {
        for (let n = call.request.from; n < call.request.to; n += call.request.step)
          call.write({ value: n });
        call.end();
      },
      Sum(call: grpc.ServerReadableStream<any, any>, done: grpc.sendUnaryData<any>) {
        let total = 0;
        call.on("data", ({ value }) => (total += value));
        call.on("end", () => done(null, { value: total }));
      },
    });
    const calc = calculatorClient(await connectClient(url));
    expect(await collect(calc.streamingRange(0, 10, 3))).toEqual([0, 3, 6, 9]);
    async function* numbers() {
      yield 1;
      yield 2;
      yield 39;
    }
    expect(await calc.sum(numbers())).toBe(42);
  });

  it("streams between the lesson's own client and server; breaking out cancels the stream", async () => {
    const calc = calculatorClient(await connectClient((await startServer()).url));
    const seen: number[] = [];
    for await (const n of calc.streamingRange(0, 1_000_000)) {
      seen.push(n);
      if (n === 2) break;
    }
    expect(seen).toEqual([0, 1, 2]);
    expect(await calc.sum([])).toBe(0);
    expect(await calc.add(2, 2), "the connection still serves").toBe(4);
  });
});
