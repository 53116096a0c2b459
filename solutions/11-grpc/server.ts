import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { calculator } from "../../shared/calculator.js";
import { ByteBudget } from "../../shared/byte-budget.js";
import { timerDelay } from "../../shared/call-options.js";
import { RpcError } from "../../shared/rpc-error.js";
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
  /** A message begun must be complete within this time, or its stream is reset. 30 s. */
  messageTimeoutMs?: number;
  /** Bytes of unfinished messages one connection may hold over all its streams. 16 MiB. */
  maxConnectionBufferedBytes?: number;
  /** Bytes of unfinished messages all connections together may hold. 64 MiB. */
  maxBufferedBytes?: number;
  /** A connection with no call open for this long is closed (GOAWAY). 60 s. */
  idleTimeoutMs?: number;
  /** Connections open at once; at the cap a new one takes the place of an idle one. 1000. */
  maxConnections?: number;
}

export interface GrpcServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * What the reader of one stream's messages keeps to (`readMessages`): the largest message, and
 * a report of the bytes of its unfinished message after every chunk, so that the server can
 * hold all connections to one memory budget and a message to a time limit.
 */
export interface StreamLimits {
  maxMessageBytes: number;
  /** Bytes of the message not yet complete (0 between messages); may reset the stream. */
  holding(bytes: number): void;
}

export async function serve(
  service: Service = calculatorService,
  options: ServeOptions = {},
): Promise<GrpcServer> {
  const { port = 0, host = "127.0.0.1", maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES } = options;
  const server = http2.createServer({
    settings: { maxConcurrentStreams: options.maxConcurrentStreams ?? 100 },
  });
  const connections = new Connections(options);
  server.on("session", (session) => connections.add(session));
  server.on("stream", (stream, headers) => {
    // A reset stream (by the client, or by us just below) emits "error": the stream's
    // business, never a crash of the server.
    stream.on("error", () => {});
    const limits = connections.limitsFor(stream, maxMessageBytes);
    // Whatever escapes a call resets that stream (the peer sees INTERNAL), never the server.
    handleCall(service, stream, headers, limits).catch(() =>
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
        connections.closeAll();
      }),
  };
}

/** One HTTP/2 connection as the server keeps it. */
interface Connection {
  /** Streams open now: a connection with none is idle. */
  streams: number;
  /** The client has sent its HTTP/2 settings: it spoke at least once. */
  spoke: boolean;
  idleTimer?: NodeJS.Timeout;
  budget: ByteBudget;
}

/**
 * The limits that keep many clients, or one hostile one, from taking the server: idle
 * connections closed, a cap on connections (where a new client takes the place of an idle one,
 * a silent one first, so idle sockets never lock a caller out), and the bytes of unfinished
 * messages held to a budget per connection and per server, each message to a time limit.
 */
class Connections {
  readonly #open = new Map<http2.Http2Session, Connection>(); // oldest first
  readonly #budget: ByteBudget;
  readonly #idleTimeoutMs: number;
  readonly #maxConnections: number;
  readonly #messageTimeoutMs: number;
  readonly #maxConnectionBufferedBytes: number;

  constructor(options: ServeOptions) {
    this.#budget = new ByteBudget(options.maxBufferedBytes ?? 64 * 1024 * 1024);
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
    this.#maxConnections = options.maxConnections ?? 1000;
    this.#messageTimeoutMs = options.messageTimeoutMs ?? 30_000;
    this.#maxConnectionBufferedBytes = options.maxConnectionBufferedBytes ?? 16 * 1024 * 1024;
  }

  add(session: http2.ServerHttp2Session): void {
    if (this.#open.size >= this.#maxConnections && !this.#evictOne()) {
      session.destroy(); // every connection is busy: this one is refused
      return;
    }
    // The connection's unfinished messages are one holder in the server's budget: the
    // connection holding the most is closed when all together pass it.
    const account = this.#budget.open(
      (reason) => session.destroy(reason, http2.constants.NGHTTP2_ENHANCE_YOUR_CALM), // in the GOAWAY
    );
    const connection: Connection = {
      streams: 0,
      spoke: false,
      budget: new ByteBudget(this.#maxConnectionBufferedBytes, (held) => account.hold(held)),
    };
    this.#open.set(session, connection);
    this.#idle(session, connection);
    session.once("remoteSettings", () => (connection.spoke = true));
    session.on("stream", (stream) => {
      connection.streams += 1;
      clearTimeout(connection.idleTimer);
      stream.once("close", () => {
        connection.streams -= 1;
        if (connection.streams === 0) this.#idle(session, connection);
      });
    });
    session.on("error", () => {}); // a client that vanished: "close" follows
    session.once("close", () => {
      clearTimeout(connection.idleTimer);
      account.release();
      this.#open.delete(session);
    });
  }

  /** The limits of one stream: its share of its connection's budget, and a clock per message. */
  limitsFor(stream: http2.ServerHttp2Stream, maxMessageBytes: number): StreamLimits {
    const connection = this.#open.get(stream.session!);
    if (!connection) return { maxMessageBytes, holding: () => {} };
    const account = connection.budget.open(() =>
      stream.close(http2.constants.NGHTTP2_ENHANCE_YOUR_CALM),
    );
    let timer: NodeJS.Timeout | undefined;
    stream.once("close", () => {
      clearTimeout(timer);
      account.release();
    });
    return {
      maxMessageBytes,
      holding: (bytes) => {
        if (!account.hold(bytes)) return;
        if (bytes === 0) {
          clearTimeout(timer);
          timer = undefined;
        } else {
          timer ??= setTimeout(
            () => stream.close(http2.constants.NGHTTP2_CANCEL),
            this.#messageTimeoutMs,
          );
        }
      },
    };
  }

  closeAll(): void {
    for (const session of this.#open.keys()) {
      session.close(); // lets open calls finish, then ends the connection
      setTimeout(() => session.destroy(), 2_000).unref(); // unless a call hangs
    }
  }

  #idle(session: http2.Http2Session, connection: Connection): void {
    clearTimeout(connection.idleTimer);
    connection.idleTimer = setTimeout(() => session.close(), this.#idleTimeoutMs).unref();
  }

  /** Closes the oldest connection that never spoke, else the oldest idle one; false if none. */
  #evictOne(): boolean {
    let idle: http2.Http2Session | undefined;
    for (const [session, connection] of this.#open) {
      if (!connection.spoke) return this.#evict(session);
      if (connection.streams === 0) idle ??= session;
    }
    return idle !== undefined && this.#evict(idle);
  }

  #evict(session: http2.Http2Session): true {
    this.#open.delete(session); // now, not at "close": the next newcomer looks at the rest
    session.destroy();
    return true;
  }
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

async function handleCall(
  service: Service,
  stream: http2.ServerHttp2Stream,
  headers: http2.IncomingHttpHeaders,
  limits: StreamLimits,
): Promise<void> {
  const contentType = String(headers["content-type"] ?? "");
  if (headers[":method"] !== "POST" || !/^application\/grpc(\+proto)?(;.*)?$/.test(contentType)) {
    if (!stream.headersSent) stream.respond({ ":status": 415 }, { endStream: true });
    return;
  }
  const method = service[String(headers[":path"])];
  if (!method) {
    stream.resume();
    return respondWithStatus(
      stream,
      new RpcError("unknown_method", `unknown method ${headers[":path"]}`),
    );
  }

  // The deadline and the client's reset both abort this signal: the handler's work stops.
  const abort = new AbortController();
  const timeoutMs = parseTimeout(headers["grpc-timeout"] as string | undefined);
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(
          () => abort.abort(new RpcError("deadline_exceeded", "deadline exceeded")),
          timerDelay(timeoutMs), // "600H" is 25 days: more than a timer holds
        );
  stream.once("close", () => {
    clearTimeout(timer);
    abort.abort(new RpcError("canceled", "the client canceled the call"));
  });
  const context: CallContext = { signal: abort.signal, metadata: headers };
  const requests = readMessages(stream, method.request, limits);

  try {
    const work = runMethod(method, requests, context);
    const aborted = new Promise<never>((_, reject) => {
      if (abort.signal.aborted) reject(abort.signal.reason);
      abort.signal.addEventListener("abort", () => reject(abort.signal.reason), { once: true });
    });
    aborted.catch(() => {});
    const replies = await Promise.race([work, aborted]);
    const respond = () => {
      if (stream.headersSent) return;
      stream.respond(
        { ":status": 200, "content-type": "application/grpc" },
        { waitForTrailers: true },
      );
    };
    for await (const reply of replies) {
      if (abort.signal.aborted) throw abort.signal.reason;
      respond(); // headers go with the first reply, so an early failure is trailers-only
      const more = stream.write(encodeGrpcMessage(encodeMessage(method.response, reply as never)));
      if (!more)
        await Promise.race([new Promise((resolve) => stream.once("drain", resolve)), aborted]);
    }
    respond();
    stream.once("wantTrailers", () =>
      stream.sendTrailers({ "grpc-status": String(GrpcStatus.OK) }),
    );
    stream.end();
  } catch (reason) {
    stream.resume(); // drop what the client still sends
    respondWithStatus(stream, errorOf(reason));
  } finally {
    clearTimeout(timer);
  }
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
  method: Method,
  requests: AsyncIterable<any>,
  context: CallContext,
): Promise<AsyncIterable<unknown> | Iterable<unknown>> {
  if (method.kind === "client stream") return [await method.handle(requests, context)];
  if (method.kind === "server stream") return method.handle(await single(requests), context);
  throw new RpcError("internal", "not a streaming method");
}

async function single<T>(requests: AsyncIterable<T>): Promise<T> {
  let first: T | undefined;
  let count = 0;
  for await (const request of requests) if (count++ === 0) first = request;
  if (count !== 1)
    throw new RpcError("invalid_argument", `expected one request message, got ${count}`);
  return first!;
}

/**
 * The request messages of one stream, decoded; a bad prefix or body throws RpcError. After
 * each chunk, `limits.holding` hears how many bytes of an unfinished message the decoder holds
 * (`bufferedBytes`): the server's budget and message clock depend on it.
 */
async function* readMessages(
  stream: http2.ServerHttp2Stream,
  schema: Schema,
  limits: StreamLimits,
): AsyncIterable<any> {
  const decoder = new GrpcMessageDecoder(limits.maxMessageBytes);
  // Not destroyed when we stop reading early: the stream still has to carry the status.
  for await (const chunk of stream.iterator({ destroyOnReturn: false })) {
    const messages = decoder.push(chunk as Buffer);
    limits.holding(decoder.bufferedBytes); // before yielding: the handler may take its time
    for (const message of messages) yield decodeMessage(schema, message);
  }
  if (decoder.bufferedBytes > 0)
    throw new RpcError("bad_message", "the stream ended inside a message");
}
