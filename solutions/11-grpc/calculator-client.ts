import type { GrpcCallOptions, GrpcClient } from "./client.js";
import { Greeting, Name, NumberMessage, Pair, Range } from "./messages.js";

const PAIR = { request: Pair, response: NumberMessage };

/** The calculator stub: each method is one gRPC call on the client's connection. */
export function calculatorClient(client: GrpcClient) {
  const pair = (method: string) => async (a: number, b: number, options?: GrpcCallOptions) =>
    (await client.unary(`/calc.Calculator/${method}`, PAIR, { a, b }, options)).value;
  return {
    add: pair("Add"),
    subtract: pair("Subtract"),
    multiply: pair("Multiply"),
    divide: pair("Divide"),
    async hello(name: string, options?: GrpcCallOptions) {
      const types = { request: Name, response: Greeting };
      return (await client.unary("/calc.Calculator/Hello", types, { name }, options)).message;
    },
    async *streamingRange(from: number, to: number, step = 1, options?: GrpcCallOptions) {
      const request = { from: BigInt(from), to: BigInt(to), step: BigInt(step) };
      const types = { request: Range, response: NumberMessage };
      for await (const { value } of client.serverStream(
        "/calc.Calculator/StreamingRange",
        types,
        request,
        options,
      )) {
        yield value;
      }
    },
    async sum(numbers: AsyncIterable<number> | Iterable<number>, options?: GrpcCallOptions) {
      async function* messages() {
        for await (const value of numbers) yield { value };
      }
      const types = { request: NumberMessage, response: NumberMessage };
      return (await client.clientStream("/calc.Calculator/Sum", types, messages(), options)).value;
    },
  };
}
