import http2 from "node:http2";
import { afterEach, describe, expect, it } from "vitest";
import { calculatorClient } from "../solutions/11-grpc/calculator-client.js";
import { GrpcClient } from "../solutions/11-grpc/client.js";
import { encodeGrpcMessage } from "../solutions/11-grpc/grpc-framing.js";
import { serve, type GrpcServer } from "../solutions/11-grpc/server.js";

// Each attack on lesson 11's server is followed by a good call from a fresh client.

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function start(options = {}): Promise<GrpcServer> {
  const server = await serve(undefined, options);
  cleanups.push(() => server.close());
  return server;
}

async function goodCall(server: GrpcServer): Promise<void> {
  const client = await GrpcClient.connect(server.url);
  try {
    expect(await calculatorClient(client).add(20, 22)).toBe(42);
  } finally {
    await client.close();
  }
}

function attack(server: GrpcServer, headers: http2.OutgoingHttpHeaders, body: Buffer) {
  const session = http2.connect(`http://127.0.0.1:${server.port}`);
  session.on("error", () => {});
  const stream = session.request({
    ":method": "POST",
    ":path": "/calc.Calculator/Add",
    "content-type": "application/grpc",
    ...headers,
  });
  const status: Record<string, unknown> = {};
  stream.on("response", (h) => Object.assign(status, h));
  stream.on("trailers", (h) => Object.assign(status, h));
  stream.on("error", () => {});
  stream.resume();
  stream.end(body);
  return new Promise<Record<string, unknown>>((resolve) =>
    stream.on("close", () => session.close(() => resolve(status))),
  );
}

describe("lesson 11: gRPC server under attack", () => {
  it("a prefix announcing 4 GiB gets RESOURCE_EXHAUSTED", async () => {
    const server = await start();
    expect((await attack(server, {}, Buffer.from("00ffffffff", "hex")))["grpc-status"]).toBe("8");
    await goodCall(server);
  });

  it("a truncated message, a varint over 10 bytes, a wrong wire type get INTERNAL", async () => {
    const server = await start();
    const bodies = [
      Buffer.from("0000000010aabb", "hex"),
      encodeGrpcMessage(Buffer.from("08ffffffffffffffffffff01", "hex")),
      encodeGrpcMessage(Buffer.from("0801", "hex")),
    ];
    for (const body of bodies) expect((await attack(server, {}, body))["grpc-status"]).toBe("13");
    await goodCall(server);
  });

  it("a wrong content type gets 415", async () => {
    const server = await start();
    expect(
      (await attack(server, { "content-type": "text/plain" }, Buffer.alloc(0)))[":status"],
    ).toBe(415);
    await goodCall(server);
  });

  it("a flood of streams past maxConcurrentStreams is refused, the server keeps serving", async () => {
    const server = await start({ maxConcurrentStreams: 4 });
    const session = http2.connect(`http://127.0.0.1:${server.port}`);
    session.on("error", () => {});
    const streams = Array.from({ length: 50 }, () => {
      // Requests that never end: each holds a stream open.
      const stream = session.request({
        ":method": "POST",
        ":path": "/calc.Calculator/Sum",
        "content-type": "application/grpc",
      });
      stream.on("error", () => {});
      return stream;
    });
    await goodCall(server);
    for (const stream of streams) stream.close(http2.constants.NGHTTP2_CANCEL);
    await new Promise<void>((resolve) => session.close(() => resolve()));
  });
});
