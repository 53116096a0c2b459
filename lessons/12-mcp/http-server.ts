import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { ErrorCode } from "../../solutions/05-json-rpc/protocol.js";
import { discardRefusedBody, listenHttp, type ListenOptions } from "../../shared/http-serve.js";
import { RpcError } from "../../shared/rpc-error.js";
import type { Channel, Receiver } from "./channel.js";
import {
  classifyMessage,
  Method,
  SUPPORTED_PROTOCOL_VERSIONS,
  type Id,
  type Message,
} from "./messages.js";
import { encodeSseEvent } from "./sse.js";
import { todo } from "../../shared/todo.js";

/**
 * MCP's Streamable HTTP transport, server side: one endpoint (/mcp) where
 * - POST carries one message from the client. A notification or a reply gets 202 and no
 *   body; a request gets its reply either as JSON, or as an SSE stream when messages for that
 *   request (progress, a request back to the client) come before the reply;
 * - GET opens an SSE stream for messages the server sends on its own, or resumes a broken
 *   stream after the `Last-Event-ID` it names;
 * - DELETE ends the session named by `Mcp-Session-Id`, which the server gave out with the
 *   reply to `initialize`.
 * https://modelcontextprotocol.io/specification/2025-11-25/basic/transports
 */

export const MCP_PATH = "/mcp";
export const SESSION_HEADER = "mcp-session-id";
export const VERSION_HEADER = "mcp-protocol-version";

export interface StreamableHttpOptions extends ListenOptions {
  /** Browser origins allowed besides the loopback ones (http://localhost:*, 127.0.0.1, [::1]). */
  allowedOrigins?: string[];
  maxBodyBytes?: number;
  /**
   * Bytes of events kept per stream for a client that resumes (at least the newest event);
   * older ones are dropped.
   */
  maxStoredBytes?: number;
  /** Bytes an SSE reader may leave unread before its connection is cut (it may resume). */
  maxUnreadBytes?: number;
  maxSessions?: number;
  log?: (line: string) => void;
}

export interface RunningMcpHttp {
  port: number;
  /** http://host:port/mcp */
  url: string;
  readonly sessions: number;
  close(): Promise<void>;
}

/** Starts whatever answers one session (e.g. `(channel) => new McpServer(channel, …)`). */
export type SessionStarter = (channel: Channel) => void;

const LOOPBACK = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/i;

/**
 * Task 6. Against DNS rebinding: a web page from evil.example, its name rebound to 127.0.0.1,
 * must not reach a local server with its visitor's browser. Browsers send `Origin`; a request
 * without one is not from a page (a command line, an SDK) and passes. An origin passes when it
 * is loopback or listed.
 */
export function isAllowedOrigin(origin: string | undefined, allowed: string[] = []): boolean {
  return todo("task 6: isAllowedOrigin");
}

/** One SSE stream of a session: a POST's, or the standalone one that GET opens. */
class EventStream {
  readonly events: { seq: number; text: string }[] = [];
  storedBytes = 0;
  #seq = 0;
  response: ServerResponse | undefined;
  /** "waiting": nothing sent yet, so the reply may still go as plain JSON. */
  mode: "waiting" | "sse" = "waiting";
  done = false;

  constructor(
    readonly key: string,
    readonly session: Session,
  ) {}

  attach(response: ServerResponse): void {
    this.response = response;
    response.once("close", () => {
      if (this.response === response) this.response = undefined;
    });
  }

  /**
   * Task 6. Writes one message; `last` marks the reply to the stream's request, which ends it.
   * While nothing has been sent and a response is attached, the reply goes as plain JSON
   * (`session.json`). Anything else makes this an SSE stream (`session.startSse`): each
   * message becomes an event with the id `<key>_<seq>`, is kept in `events` for a client
   * that resumes (at most `maxStoredBytes`, oldest dropped first) and is written to the
   * response if one is attached. A reader more than `maxUnreadBytes` behind
   * (`writableLength`) is cut off: destroy its response and detach it. `last` ends the
   * response and sets `done`.
   */
  write(message: Message, last: boolean): void {
    todo("task 6: EventStream.write");
  }

  /**
   * Task 6. A client resumes after event `afterSeq` on `response`: end the response it had,
   * if any; start SSE; replay the stored events after that one; then end the response if
   * the stream is done, or attach it for what is still to come.
   */
  resume(response: ServerResponse, afterSeq: number): void {
    todo("task 6: EventStream.resume");
  }
}

type Resolved = Required<Omit<StreamableHttpOptions, keyof ListenOptions | "allowedOrigins">>;

/** One client's session: a Channel for the peer behind it, fed by that client's HTTP requests. */
class Session implements Channel {
  readonly id = randomUUID(); // 122 random bits: a session id is a bearer secret
  #receiver: Receiver | undefined;
  #nextStream = 0;
  /** Streams of requests in flight, by request id, and the finished ones kept for resuming. */
  readonly #byRequest = new Map<Id, EventStream>();
  readonly #byKey = new Map<string, EventStream>();
  #standalone: EventStream;
  closed = false;

  constructor(
    readonly options: Resolved,
    readonly onEnd: (session: Session) => void,
  ) {
    this.#standalone = this.#newStream();
  }

  #newStream(): EventStream {
    const stream = new EventStream(String(this.#nextStream++), this);
    this.#byKey.set(stream.key, stream);
    // Keep a bounded number of streams for resumption; drop the oldest finished ones.
    if (this.#byKey.size > 64) {
      for (const [key, old] of this.#byKey) {
        if (old.done) {
          this.#byKey.delete(key);
          break;
        }
      }
    }
    return stream;
  }

  start(receiver: Receiver): void {
    this.#receiver = receiver;
  }

  send(message: Message, { relatedTo }: { relatedTo?: Id } = {}): void {
    if (this.closed) return;
    const stream = relatedTo === undefined ? undefined : this.#byRequest.get(relatedTo);
    const isReply = !("method" in message) && "id" in message && message.id === relatedTo;
    if (!stream) {
      this.#standalone.write(message, false);
      return;
    }
    if (isReply) this.#byRequest.delete(relatedTo!);
    stream.write(message, isReply);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const stream of this.#byKey.values()) stream.response?.end();
    this.#standalone.response?.end();
    this.onEnd(this);
    this.#receiver?.onClose();
  }

  /** A message POSTed by the client. */
  post(value: unknown, response: ServerResponse): void {
    const incoming = classifyMessage(value);
    if (incoming.kind !== "request") {
      this.#receiver?.onMessage(value);
      response.writeHead(202).end();
      return;
    }
    const id = incoming.message.id;
    if (this.#byRequest.has(id)) {
      this.json(
        response,
        200,
        errorReply(
          id,
          ErrorCode.InvalidRequest,
          `the id ${JSON.stringify(id)} is already in flight`,
        ),
      );
      return;
    }
    const stream = this.#newStream();
    stream.attach(response);
    this.#byRequest.set(id, stream);
    this.#receiver?.onMessage(value);
  }

  /** GET: the standalone stream, or a resumed one. */
  get(request: IncomingMessage, response: ServerResponse): void {
    const last = request.headers["last-event-id"];
    if (typeof last === "string") {
      const match = /^(\d{1,9})_(\d{1,15})$/.exec(last);
      const stream = match ? this.#byKey.get(match[1]!) : undefined;
      if (!stream) {
        this.json(
          response,
          400,
          errorReply(null, ErrorCode.InvalidRequest, "unknown Last-Event-ID"),
        );
        return;
      }
      stream.resume(response, Number(match![2]));
      return;
    }
    if (this.#standalone.response && !this.#standalone.response.destroyed) {
      this.json(
        response,
        409,
        errorReply(null, ErrorCode.InvalidRequest, "this session already has a GET stream"),
      );
      return;
    }
    this.#standalone.resume(response, 0);
    response.flushHeaders();
  }

  startSse(response: ServerResponse): void {
    if (response.headersSent) return;
    response.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      [SESSION_HEADER]: this.id,
    });
  }

  json(response: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
      [SESSION_HEADER]: this.id,
    });
    response.end(text);
  }

  log(line: string): void {
    this.options.log(line);
  }
}

function errorReply(id: Id | null, code: number, message: string): object {
  return { jsonrpc: "2.0", id, error: { code, message } };
}

function refuse(response: ServerResponse, status: number, code: number, message: string): void {
  const text = JSON.stringify(errorReply(null, code, message));
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

function accepts(request: IncomingMessage, type: string): boolean {
  return (request.headers.accept ?? "").toLowerCase().includes(type);
}

async function readBody(request: IncomingMessage, limit: number): Promise<string | undefined> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > limit) return undefined;
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString("utf8");
}

/**
 * Task 6. Serves MCP sessions over Streamable HTTP at `MCP_PATH`. Every request is checked in
 * this order: the Origin (403), the path (404), the method (405), then by method:
 * - POST: JSON body (415 otherwise), Accept naming both application/json and
 *   text/event-stream (406), a supported MCP-Protocol-Version when one is sent (400), a body
 *   within the limit (413), one JSON object (400 with -32700, or -32600 for a batch);
 *   `initialize` without a session starts one (503 past `maxSessions`); anything else needs
 *   the session header (400 without it, 404 for a session that does not exist or has ended).
 * - GET (Accept: text/event-stream, else 406): the session's standalone stream, one at a
 *   time (409), or with Last-Event-ID the stream that event belonged to, replayed after it.
 * - DELETE: ends the session (the peer's handlers are aborted), 204.
 */
export async function serveStreamableHttp(
  startSession: SessionStarter,
  options: StreamableHttpOptions = {},
): Promise<RunningMcpHttp> {
  const resolved: Resolved = {
    maxBodyBytes: options.maxBodyBytes ?? 4 * 1024 * 1024,
    maxStoredBytes: options.maxStoredBytes ?? 1024 * 1024,
    maxUnreadBytes: options.maxUnreadBytes ?? 1024 * 1024,
    maxSessions: options.maxSessions ?? 1000,
    log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
  };
  const sessions = new Map<string, Session>();

  const server = createServer(async (request, response) => {
    try {
      await handle(request, response);
    } catch (error) {
      resolved.log(`mcp http: ${RpcError.from(error).message}`);
      if (!response.headersSent) refuse(response, 500, ErrorCode.InternalError, "Internal error");
      else response.destroy();
    }
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    return todo("task 6: handle");
  }

  const running = await listenHttp(server, options);
  const host = options.host ?? "127.0.0.1";
  return {
    port: running.port,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${running.port}${MCP_PATH}`,
    get sessions() {
      return sessions.size;
    },
    async close() {
      for (const session of [...sessions.values()]) session.close();
      const closed = running.close();
      // Every session is over: a connection still open is a reader of a stream that has
      // ended, or a client that went quiet mid-request. Nobody is owed an answer.
      server.closeAllConnections();
      await closed;
    },
  };
}
