import http2 from "node:http2";
import { type CallOptions, watchCall } from "../../shared/call-options.js";
import { RpcError } from "../../shared/rpc-error.js";
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  encodeGrpcMessage,
  GrpcMessageDecoder,
} from "./grpc-framing.js";
import { decodeMessage, encodeMessage, type MessageOf, type Schema } from "./messages.js";
import { decodeGrpcMessageHeader, encodeTimeout, fromGrpcStatus } from "./status.js";

export interface GrpcCallOptions extends CallOptions {
  /** Sent as headers: lowercase names, not starting with "grpc-" or ":". */
  metadata?: Record<string, string>;
}

/**
 * One HTTP/2 connection, one stream per call. No request IDs and no table of pending calls
 * (lesson 3's PendingCalls): HTTP/2's stream IDs already tie each reply to its call.
 */
export class GrpcClient {
  private constructor(
    readonly session: http2.ClientHttp2Session,
    readonly maxMessageBytes: number,
  ) {}

  static async connect(
    url: string,
    { maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES } = {},
  ): Promise<GrpcClient> {
    const { host } = new URL(url);
    const session = http2.connect(`http://${host}`);
    await new Promise<void>((resolve, reject) => {
      session.once("connect", () => resolve());
      session.once("error", (error) => reject(RpcError.from(error)));
    });
    session.on("error", () => {}); // each open stream hears about it too
    return new GrpcClient(session, maxMessageBytes);
  }

  async unary<Req extends Schema, Res extends Schema>(
    path: string,
    types: { request: Req; response: Res },
    request: Partial<MessageOf<Req>>,
    options: GrpcCallOptions = {},
  ): Promise<MessageOf<Res>> {
    const replies = this.call(path, types, [request], options);
    let reply: MessageOf<Res> | undefined;
    for await (const message of replies) reply = message;
    if (!reply) throw new RpcError("bad_message", "the server sent no reply message");
    return reply;
  }

  /** Server streaming: the replies as they come. Breaking out of the loop cancels the call. */
  serverStream<Req extends Schema, Res extends Schema>(
    path: string,
    types: { request: Req; response: Res },
    request: Partial<MessageOf<Req>>,
    options: GrpcCallOptions = {},
  ): AsyncIterable<MessageOf<Res>> {
    return this.call(path, types, [request], options);
  }

  /** Client streaming: sends every request of `requests`, then waits for the one reply. */
  async clientStream<Req extends Schema, Res extends Schema>(
    path: string,
    types: { request: Req; response: Res },
    requests: AsyncIterable<Partial<MessageOf<Req>>> | Iterable<Partial<MessageOf<Req>>>,
    options: GrpcCallOptions = {},
  ): Promise<MessageOf<Res>> {
    let reply: MessageOf<Res> | undefined;
    for await (const message of this.call(path, types, requests, options)) reply = message;
    if (!reply) throw new RpcError("bad_message", "the server sent no reply message");
    return reply;
  }

  /** Every kind of call: open a stream, send the requests, read replies, then the status. */
  async *call<Req extends Schema, Res extends Schema>(
    path: string,
    { request: requestType, response: responseType }: { request: Req; response: Res },
    requests: AsyncIterable<Partial<MessageOf<Req>>> | Iterable<Partial<MessageOf<Req>>>,
    options: GrpcCallOptions,
  ): AsyncIterable<MessageOf<Res>> {
    let failure: RpcError | undefined;
    const headers: http2.OutgoingHttpHeaders = {
      ":method": "POST",
      ":path": path,
      "content-type": "application/grpc",
      te: "trailers",
      ...options.metadata,
    };
    if (options.timeoutMs !== undefined && options.timeoutMs !== Infinity) {
      headers["grpc-timeout"] = encodeTimeout(options.timeoutMs);
    }
    const stream = this.session.request(headers);
    const stop = watchCall(options, (reason) => {
      failure = reason;
      stream.close(http2.constants.NGHTTP2_CANCEL);
    });
    const trailers = new Promise<http2.IncomingHttpHeaders>((resolve) => {
      let last: http2.IncomingHttpHeaders = {};
      stream.on("response", (h) => (last = h)); // a trailers-only reply has the status here
      stream.on("trailers", (h) => (last = h));
      stream.on("close", () => resolve(last));
    });
    stream.on("error", (error) => (failure ??= RpcError.from(error)));
    try {
      void sendAll(stream, requestType, requests).catch((error) => {
        failure ??= RpcError.from(error);
        stream.close(http2.constants.NGHTTP2_CANCEL);
      });
      const decoder = new GrpcMessageDecoder(this.maxMessageBytes);
      for await (const chunk of stream) {
        for (const message of decoder.push(chunk as Buffer))
          yield decodeMessage(responseType, message);
      }
      if (failure) throw failure;
      const status = await trailers;
      const code = Number(status["grpc-status"] ?? NaN);
      if (code !== 0) {
        throw Number.isNaN(code)
          ? new RpcError(
              "bad_message",
              `no grpc-status from the server (HTTP ${status[":status"] ?? "?"})`,
            )
          : fromGrpcStatus(code, decodeGrpcMessageHeader(String(status["grpc-message"] ?? "")));
      }
    } catch (error) {
      throw failure ?? RpcError.from(error);
    } finally {
      stop();
      if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
    }
  }

  /** Ends the connection once its calls are done; at once if the server has closed it. */
  close(): Promise<void> {
    if (this.session.destroyed) return Promise.resolve();
    return new Promise((resolve) => this.session.close(() => resolve()));
  }
}

async function sendAll<Req extends Schema>(
  stream: http2.ClientHttp2Stream,
  type: Req,
  requests: AsyncIterable<Partial<MessageOf<Req>>> | Iterable<Partial<MessageOf<Req>>>,
): Promise<void> {
  for await (const request of requests) {
    if (stream.destroyed) return;
    if (!stream.write(encodeGrpcMessage(encodeMessage(type, request)))) {
      await new Promise((resolve) => stream.once("drain", resolve));
    }
  }
  stream.end();
}
