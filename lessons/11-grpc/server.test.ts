import * as grpc from "@grpc/grpc-js";
import http2 from "node:http2";
import { describe, expect, it } from "vitest";
import { encodeGrpcMessage } from "./grpc-framing.js";
import { encodeMessage, NumberMessage, Pair } from "./messages.js";
import { calculatorService, type Service } from "./server.js";
import { grpcJsClient, later, startServer, unaryJs } from "./testing.js";

/** One raw HTTP/2 call: the bytes we choose, the status the server answers. */
async function rawCall(url: string, headers: http2.OutgoingHttpHeaders, body: Buffer) {
  const session = http2.connect(`http://${new URL(url).host}`);
  later(() => new Promise<void>((resolve) => session.close(() => resolve())));
  const stream = session.request({ ":method": "POST", te: "trailers", ...headers });
  const result: Record<string, unknown> = {};
  stream.on("response", (h) => Object.assign(result, h));
  stream.on("trailers", (h) => Object.assign(result, h));
  stream.on("error", () => {}); // a reset stream: what the test sees is the missing status
  stream.resume();
  stream.end(body);
  await new Promise((resolve) => stream.on("close", resolve));
  return result;
}

const ADD = { ":path": "/calc.Calculator/Add", "content-type": "application/grpc" };

describe("task 5: a gRPC server on node:http2", () => {
  it("answers a grpc-js client: one connection, a stream per call", async () => {
    const server = await startServer();
    const client = grpcJsClient(server.url);
    expect(await unaryJs(client, "Add", { a: 1, b: 2 })).toEqual({ value: 3 });
    const replies = await Promise.all(
      [1, 2, 3, 4].map((n) => unaryJs(client, "Multiply", { a: n, b: n })),
    );
    expect(replies.map((r) => r.value)).toEqual([1, 4, 9, 16]);
    expect(await unaryJs(client, "Hello", { name: "gRPC" })).toEqual({ message: "Hello, gRPC!" });
  });

  it("sends a thrown error as grpc-status and grpc-message in the trailers", async () => {
    const client = grpcJsClient((await startServer()).url);
    await expect(unaryJs(client, "Divide", { a: 1, b: 0 })).rejects.toMatchObject({
      code: grpc.status.UNKNOWN,
      details: "DivisionByZeroError: division by zero",
    });
  });

  it("answers an unknown method with UNIMPLEMENTED", async () => {
    const server = await startServer();
    const reply = await rawCall(
      server.url,
      { ...ADD, ":path": "/calc.Calculator/Power" },
      Buffer.alloc(0),
    );
    expect(reply[":status"]).toBe(200);
    expect(reply["grpc-status"], "UNIMPLEMENTED is 12").toBe("12");
  });

  it("gives the handler the metadata, and cancels its work at the deadline", async () => {
    let seen: unknown;
    let started = false;
    let aborted!: () => void;
    const abortedWork = new Promise<void>((resolve) => (aborted = resolve));
    const service: Service = {
      ...calculatorService,
      "/calc.Calculator/Add": {
        ...calculatorService["/calc.Calculator/Add"]!,
        kind: "unary",
        handle: (_request, { signal, metadata }) => {
          started = true;
          seen = metadata["x-user"];
          return new Promise((_, reject) =>
            signal.addEventListener("abort", () => (aborted(), reject(signal.reason))),
          );
        },
      },
    };
    const server = await startServer(service);
    // Headers and message go out in one write, and the deadline counts from when the server
    // reads grpc-timeout: the handler starts before it, however slow the machine.
    const add = encodeGrpcMessage(encodeMessage(Pair, { a: 1, b: 2 }));
    const reply = await rawCall(
      server.url,
      { ...ADD, "grpc-timeout": "50m", "x-user": "ada" },
      add,
    );
    expect(reply["grpc-status"], "DEADLINE_EXCEEDED is 4").toBe("4");
    expect(started, "the handler was called").toBe(true);
    await abortedWork; // the server saw grpc-timeout and aborted the handler's signal
    expect(seen).toBe("ada");
  });

  it("tells the server's limits what it holds: a message left half-sent is reset at messageTimeoutMs", async () => {
    const server = await startServer(undefined, { messageTimeoutMs: 100 });
    const session = http2.connect(`http://${new URL(server.url).host}`);
    later(() => new Promise<void>((resolve) => session.close(() => resolve())));
    const stream = session.request({ ":method": "POST", ...ADD });
    stream.on("error", () => {});
    stream.resume();
    const whole = encodeGrpcMessage(encodeMessage(Pair, { a: 1, b: 2 }));
    stream.write(whole.subarray(0, whole.length - 1)); // one byte short, and then nothing
    await new Promise((resolve) => stream.once("close", resolve));
    expect(stream.rstCode, "reset by the server (CANCEL) at the message's time limit").toBe(
      http2.constants.NGHTTP2_CANCEL,
    );
  });

  it("refuses a wrong content type, a huge prefix, a truncated or invalid message, and keeps serving", async () => {
    const server = await startServer(undefined, { maxMessageBytes: 1024 });
    const add = encodeGrpcMessage(encodeMessage(Pair, { a: 1, b: 2 }));
    expect(
      (await rawCall(server.url, { ...ADD, "content-type": "application/json" }, add))[":status"],
    ).toBe(415);
    const huge = Buffer.from("00ffffffff", "hex");
    expect((await rawCall(server.url, ADD, huge))["grpc-status"], "RESOURCE_EXHAUSTED").toBe("8");
    expect(
      (await rawCall(server.url, ADD, add.subarray(0, 8)))["grpc-status"],
      "truncated: INTERNAL",
    ).toBe("13");
    const badVarint = encodeGrpcMessage(Buffer.from("08ffffffffffffffffffff01", "hex"));
    expect(
      (await rawCall(server.url, ADD, badVarint))["grpc-status"],
      "invalid protobuf: INTERNAL",
    ).toBe("13");
    const client = grpcJsClient(server.url);
    expect(await unaryJs(client, "Add", { a: 20, b: 22 })).toEqual({ value: 42 });
    expect(NumberMessage.value.no).toBe(1);
  });
});
