import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { calculator } from "../../shared/calculator.js";
import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  encodeGrpcMessage,
  GrpcMessageDecoder,
} from "./grpc-framing.js";
import {
  decodeMessage,
  encodeMessage,
  Greeting,
  Name,
  NumberMessage,
  Pair,
  Range,
  type Schema,
} from "./messages.js";
import { encodeGrpcMessageHeader, GrpcStatus, parseTimeout, toGrpcStatus } from "./status.js";

/** What a handler gets besides the request: the call's signal (deadline or cancel) and metadata. */
export interface CallContext {
  signal: AbortSignal;
  metadata: http2.IncomingHttpHeaders;
}

type Handler =
  | { kind: "unary"; handle: (request: any, context: CallContext) => Promise<unknown> | unknown }
  | {
      kind: "server stream";
      handle: (request: any, context: CallContext) => AsyncIterable<unknown>;
    }
  | {
      kind: "client stream";
      handle: (requests: AsyncIterable<any>, context: CallContext) => Promise<unknown>;
    };

export type Method = Handler & { request: Schema; response: Schema };
/** Keyed by HTTP/2 `:path`, e.g. "/calc.Calculator/Add". */
export type Service = Record<string, Method>;

const pair = (f: (a: number, b: number) => number): Method => ({
  kind: "unary",
  request: Pair,
  response: NumberMessage,
  handle: ({ a, b }) => ({ value: f(a, b) }),
});

/** The calculator as the service in calculator.proto. */
export const calculatorService: Service = {
  "/calc.Calculator/Add": pair(calculator.add),
  "/calc.Calculator/Subtract": pair(calculator.subtract),
  "/calc.Calculator/Multiply": pair(calculator.multiply),
  "/calc.Calculator/Divide": pair(calculator.divide),
  "/calc.Calculator/Hello": {
    kind: "unary",
    request: Name,
    response: Greeting,
    handle: ({ name }) => ({ message: calculator.hello(name) }),
  },
  "/calc.Calculator/StreamingRange": {
    kind: "server stream",
    request: Range,
    response: NumberMessage,
    async *handle({ from, to, step }, { signal }) {
      if (step <= 0n) throw new RpcError("invalid_argument", "step must be positive");
      for (let n = from; n < to && !signal.aborted; n += step) yield { value: Number(n) };
    },
  },
  "/calc.Calculator/Sum": {
    kind: "client stream",
    request: NumberMessage,
    response: NumberMessage,
    async handle(numbers) {
      let total = 0;
      for await (const { value } of numbers) total += value;
      return { value: total };
    },
  },
};

export interface ServeOptions {
  port?: number;
  host?: string;
  maxMessageBytes?: number;
  /** Streams (calls) one connection may have open at once; HTTP/2 refuses the rest. */
  maxConcurrentStreams?: number;
}

export interface GrpcServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function serve(
  service: Service = calculatorService,
  options: ServeOptions = {},
): Promise<GrpcServer> {
  const { port = 0, host = "127.0.0.1", maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES } = options;
  const server = http2.createServer({
    settings: { maxConcurrentStreams: options.maxConcurrentStreams ?? 100 },
  });
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  server.on("stream", (stream, headers) => {
    // A reset stream (by the client, or by us just below) emits "error": the stream's
    // business, never a crash of the server.
    stream.on("error", () => {});
    // Whatever escapes a call resets that stream (the peer sees INTERNAL), never the server.
    handleCall(service, stream, headers, maxMessageBytes).catch(() =>
      stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `grpc://${host}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of sessions) {
          session.close(); // lets open calls finish, then ends the connection
          setTimeout(() => session.destroy(), 2_000).unref(); // unless a call hangs
        }
      }),
  };
}

/** A status with no message: headers and trailers in one HEADERS frame ("trailers-only"). */
function respondWithStatus(stream: http2.ServerHttp2Stream, error: RpcError): void {
  if (stream.destroyed || stream.closed) return;
  const status = {
    "grpc-status": String(toGrpcStatus(error)),
    "grpc-message": encodeGrpcMessageHeader(
      error.code === "internal" ? "internal error" : error.message,
    ),
  };
  if (stream.headersSent) {
    stream.once("wantTrailers", () => stream.sendTrailers(status));
    stream.end();
  } else {
    stream.respond(
      { ":status": 200, "content-type": "application/grpc", ...status },
      { endStream: true },
    );
  }
}

function errorOf(reason: unknown): RpcError {
  if (reason instanceof RpcError) return reason;
  if (reason instanceof TypeError) return new RpcError("invalid_argument", reason.message);
  if (reason instanceof Error)
    return new RpcError("remote_error", `${reason.name}: ${reason.message}`);
  return new RpcError("internal", String(reason));
}

/**
 * One call on one HTTP/2 stream. A gRPC request: `:method` POST, `:path`
 * /package.Service/Method, `content-type: application/grpc` (anything else: HTTP 415), an
 * optional `grpc-timeout`, metadata as the other headers, then the request messages (5-byte
 * prefix each). The reply: headers `:status` 200 and `content-type: application/grpc`, the reply
 * messages, then trailers `grpc-status` (0 = OK) and `grpc-message`. A failure before any reply
 * may put the status in the headers and end the stream at once ("trailers-only";
 * `respondWithStatus` does it). The handler's `signal` aborts at the deadline or when the client
 * resets the stream, so its work stops; every failure becomes a status, never a crash.
 */
async function handleCall(
  _service: Service,
  _stream: http2.ServerHttp2Stream,
  _headers: http2.IncomingHttpHeaders,
  _maxMessageBytes: number,
): Promise<void> {
  return todo("task 5: handleCall");
}

/** Replies as an iterable: one reply for a unary call. */
async function runMethod(
  method: Method,
  requests: AsyncIterable<any>,
  context: CallContext,
): Promise<AsyncIterable<unknown> | Iterable<unknown>> {
  if (method.kind === "unary") return [await method.handle(await single(requests), context)];
  return runStreamingMethod(method, requests, context);
}

/** Server streaming: one request, many replies. Client streaming: many requests, one reply. */
export async function runStreamingMethod(
  _method: Method,
  _requests: AsyncIterable<any>,
  _context: CallContext,
): Promise<AsyncIterable<unknown> | Iterable<unknown>> {
  return todo("task 7: runStreamingMethod");
}

async function single<T>(requests: AsyncIterable<T>): Promise<T> {
  let first: T | undefined;
  let count = 0;
  for await (const request of requests) if (count++ === 0) first = request;
  if (count !== 1)
    throw new RpcError("invalid_argument", `expected one request message, got ${count}`);
  return first!;
}

/** The request messages of one stream, decoded; a bad prefix or body throws RpcError. */
async function* readMessages(
  _stream: http2.ServerHttp2Stream,
  _schema: Schema,
  _maxMessageBytes: number,
): AsyncIterable<any> {
  return todo("task 5: readMessages");
}
