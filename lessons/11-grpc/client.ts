import http2 from "node:http2";
import { type CallOptions, watchCall } from "../../shared/call-options.js";
import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
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

  /** Server streaming: the replies as they come, as an async iterator. */
  serverStream<Req extends Schema, Res extends Schema>(
    _path: string,
    _types: { request: Req; response: Res },
    _request: Partial<MessageOf<Req>>,
    _options: GrpcCallOptions = {},
  ): AsyncIterable<MessageOf<Res>> {
    return todo("task 7: serverStream");
  }

  /** Client streaming: sends every request of `requests`, then waits for the one reply. */
  async clientStream<Req extends Schema, Res extends Schema>(
    _path: string,
    _types: { request: Req; response: Res },
    _requests: AsyncIterable<Partial<MessageOf<Req>>> | Iterable<Partial<MessageOf<Req>>>,
    _options: GrpcCallOptions = {},
  ): Promise<MessageOf<Res>> {
    return todo("task 7: clientStream");
  }

  /**
   * Every kind of call: a new stream on the connection (headers `:method` POST, `:path`,
   * `content-type: application/grpc`, `te: trailers`, `grpc-timeout` when there is a deadline,
   * the metadata), the requests sent with their 5-byte prefix (`sendAll`), the replies yielded
   * as they arrive, then the status: `grpc-status` in the trailers (or in the headers of a
   * trailers-only reply); not 0 → the matching RpcError. The deadline and the signal are
   * enforced here too (`watchCall`): reset the stream with NGHTTP2_CANCEL and reject.
   */
  // eslint-disable-next-line require-yield
  async *call<Req extends Schema, Res extends Schema>(
    _path: string,
    _types: { request: Req; response: Res },
    _requests: AsyncIterable<Partial<MessageOf<Req>>> | Iterable<Partial<MessageOf<Req>>>,
    _options: GrpcCallOptions,
  ): AsyncIterable<MessageOf<Res>> {
    return todo("task 6: GrpcClient.call");
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
