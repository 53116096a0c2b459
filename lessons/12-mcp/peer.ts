import { PendingCalls } from "../../solutions/03-raw-tcp/pending-calls.js";
import {
  ErrorCode,
  protocolError,
  toErrorObject,
  toRpcError,
} from "../../solutions/05-json-rpc/protocol.js";
import type { CallOptions } from "../../shared/call-options.js";
import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
import type { Channel } from "./channel.js";
import {
  classifyMessage,
  Method,
  PeerErrorCode,
  type ErrorObject,
  type Id,
  type Notification,
  type Request,
} from "./messages.js";

/**
 * One end of a JSON-RPC conversation: it sends requests under ids of its own and waits for
 * their replies, and it answers the other side's requests, on the same channel, at the same
 * time. MCP clients and servers, LSP editors and language servers are all peers.
 */

export interface Progress {
  progress: number;
  total?: number;
  message?: string;
}

/** What a request handler gets besides the params. */
export interface HandlerContext {
  /** The id the other side gave this request. */
  id: Id;
  /** Aborts when the other side cancels the request or the connection closes. */
  signal: AbortSignal;
  /** Tells the caller how far the work is; does nothing when the caller asked for no progress. */
  progress(update: Progress): void;
  /** A request back to the caller while this one runs (e.g. roots/list), cancelled with it. */
  request(method: string, params?: object, options?: RequestOptions): Promise<unknown>;
  notify(method: string, params?: object): void;
}

export type RequestHandler = (params: any, context: HandlerContext) => unknown;
export type NotificationHandler = (params: any) => void;

export interface RequestOptions extends CallOptions {
  /** Asks for progress notifications (MCP's `_meta.progressToken`) and receives them. */
  onProgress?: (update: Progress) => void;
  /** The incoming request this one is made for: HTTP sends it on that request's stream. */
  relatedTo?: Id;
}

export interface PeerOptions {
  /** How this peer cancels its own calls: MCP's notification (default) or LSP's. */
  cancelMethod?: typeof Method.Cancelled | typeof Method.CancelRequest;
  /**
   * Asked before each incoming request runs: an error object refuses it (e.g. before
   * `initialize`), undefined lets it run.
   */
  admit?: (method: string) => ErrorObject | undefined;
  /** Where the peer reports what it could not deliver; never stdout, which may be the wire. */
  log?: (line: string) => void;
  /**
   * How many of the other side's requests may run here at once (256 by default). One more is
   * answered at once with an error, so a flood of slow calls cannot grow memory without end.
   */
  maxRunning?: number;
}

export const DEFAULT_MAX_RUNNING = 256;

/** One incoming request being answered. */
interface Running {
  controller: AbortController;
  /** How it was cancelled: "mcp" means send nothing, "lsp" means reply RequestCancelled. */
  cancelled?: "mcp" | "lsp";
}

const toPlain = (error: { code: number; message: string; data?: unknown }): ErrorObject =>
  error.data === undefined
    ? { code: error.code, message: error.message }
    : { code: error.code, message: error.message, data: error.data };

export class Peer {
  readonly #channel: Channel;
  readonly #options: PeerOptions;
  readonly #pending = new PendingCalls<Id>();
  readonly #running = new Map<Id, Running>();
  readonly #requestHandlers = new Map<string, RequestHandler>();
  readonly #notificationHandlers = new Map<string, NotificationHandler>();
  readonly #progressListeners = new Map<Id, (update: Progress) => void>();
  #nextId = 1;
  #closeReason: RpcError | undefined;
  readonly #markClosed: (reason: RpcError) => void;
  /** Resolves, with the reason, once the conversation is over. */
  readonly closed: Promise<RpcError>;

  constructor(channel: Channel, options: PeerOptions = {}) {
    this.#channel = channel;
    this.#options = options;
    let markClosed!: (reason: RpcError) => void;
    this.closed = new Promise((resolve) => (markClosed = resolve));
    this.#markClosed = markClosed;
    channel.start({
      onMessage: (value) => {
        try {
          this.#receive(value);
        } catch (error) {
          this.#breakDown(error);
        }
      },
      onBadMessage: (error) => this.#refuseUnreadable(error),
      onClose: (reason) =>
        this.#shutDown(
          reason ?? new RpcError("unavailable", "the other side closed the connection"),
        ),
    });
  }

  /** The connection is over: every call waiting fails, every handler running is aborted. */
  #shutDown(reason: RpcError): void {
    if (this.#closeReason) return;
    this.#closeReason = reason;
    this.#pending.rejectAll(reason);
    for (const running of this.#running.values()) running.controller.abort(reason);
    this.#markClosed(reason);
  }

  /** A bug in this peer's own code: say so, and end the conversation rather than limp on. */
  #breakDown(error: unknown): void {
    const reason = new RpcError("internal", RpcError.from(error).message, { cause: error });
    this.#log(`closing: ${reason.message}`);
    this.#shutDown(reason);
    this.#channel.close();
  }

  get isClosed(): boolean {
    return this.#closeReason !== undefined;
  }

  /** How many of the other side's requests are running here. */
  get running(): number {
    return this.#running.size;
  }

  onRequest(method: string, handler: RequestHandler): this {
    this.#requestHandlers.set(method, this.#withinLimit(handler));
    return this;
  }

  #busy = 0;

  /** The handler, refusing to start while `maxRunning` handlers run (the caller is told). */
  #withinLimit(handler: RequestHandler): RequestHandler {
    const limit = this.#options.maxRunning ?? DEFAULT_MAX_RUNNING;
    return async (params, context) => {
      if (this.#busy >= limit) {
        // An Error, not an RpcError: its message reaches the caller (JSON-RPC's -32000 range).
        throw new Error(`busy: ${limit} requests are running here; try again later`);
      }
      this.#busy += 1;
      try {
        return await handler(params, context);
      } finally {
        this.#busy -= 1;
      }
    };
  }

  onNotification(method: string, handler: NotificationHandler): this {
    this.#notificationHandlers.set(method, handler);
    return this;
  }

  /**
   * Sends a request under a fresh id of this peer's own and resolves with its result, or
   * rejects with the reply's error as an RpcError (lesson 5's `toRpcError`). The id is
   * registered before the message leaves, so a reply cannot arrive too early. A closed peer
   * rejects with "unavailable" and sends nothing. With `signal` or `timeoutMs`, giving up
   * also tells the other side (task 5); with `onProgress`, progress is asked for (task 5).
   */
  request(method: string, params?: object, options: RequestOptions = {}): Promise<unknown> {
    return todo("task 2: Peer.request");
  }

  /** Sends a notification: no id, and no reply will come. */
  notify(method: string, params?: object, options: { relatedTo?: Id } = {}): void {
    todo("task 2: Peer.notify");
  }

  close(): void {
    this.#shutDown(new RpcError("unavailable", "the connection was closed on this side"));
    this.#channel.close();
  }

  /**
   * Routes one arriving message: a result or an error goes to the call waiting under its id
   * (a reply to an id nobody waits for is logged and dropped); a request runs its handler and
   * is answered; a notification runs its handler (cancellation and progress are the peer's
   * own, task 5); an invalid message is answered with -32600 under its id, or null.
   */
  #receive(value: unknown): void {
    todo("task 2: Peer.#receive");
  }

  /**
   * Answers one request. An id already running here is refused (-32600) without disturbing
   * the call that holds it; `admit` may refuse the method; an unknown method is -32601. The
   * handler gets the params and a context whose signal aborts on cancellation. Its result, or
   * `toErrorObject` of what it threw, is the reply, unless the request was cancelled the MCP
   * way (no reply at all) or the LSP way (RequestCancelled).
   */
  async #answer(request: Request): Promise<void> {
    return todo("task 2: Peer.#answer");
  }

  #contextFor(request: Request, signal: AbortSignal): HandlerContext {
    const { id } = request;
    const meta = (request.params as { _meta?: { progressToken?: unknown } } | undefined)?._meta;
    const token = meta?.progressToken;
    const hasToken = typeof token === "string" || Number.isSafeInteger(token);
    return {
      id,
      signal,
      progress: (update) => {
        if (hasToken) this.#sendProgress(token as Id, update, id);
      },
      request: (method, params, options = {}) =>
        this.request(method, params, { signal, ...options, relatedTo: id }),
      notify: (method, params) => this.notify(method, params, { relatedTo: id }),
    };
  }

  #notified(notification: Notification): void {
    const params = (notification.params ?? {}) as Record<string, unknown>;
    if (notification.method === Method.Cancelled) {
      return this.#cancelIncoming(params.requestId, "mcp");
    }
    if (notification.method === Method.CancelRequest) {
      return this.#cancelIncoming(params.id, "lsp");
    }
    if (notification.method === Method.Progress) return this.#progressArrived(params);
    const handler = this.#notificationHandlers.get(notification.method);
    try {
      handler?.(params);
    } catch (error) {
      this.#log(`${notification.method} failed: ${RpcError.from(error).message}`);
    }
  }

  /**
   * Task 5. The other side gave up on its request `id`: abort the handler's signal, and
   * remember how (MCP: no reply will be sent; LSP: the reply is RequestCancelled). An id that
   * is not running (unknown, or already answered) is ignored, as both specifications say.
   */
  #cancelIncoming(id: unknown, how: "mcp" | "lsp"): void {
    todo("task 5: Peer.#cancelIncoming");
  }

  /**
   * Task 5. Adds `_meta.progressToken` to the params (keeping any other `_meta`) and routes
   * the notifications/progress carrying that token to `listener` until `reply` settles.
   */
  #askForProgress(
    id: Id,
    params: object | undefined,
    listener: (update: Progress) => void,
    reply: Promise<unknown>,
  ): object {
    return todo("task 5: Peer.#askForProgress");
  }

  /** Task 5. A progress notification for one of our calls: hand it to that call's listener. */
  #progressArrived(params: Record<string, unknown>): void {
    todo("task 5: Peer.#progressArrived");
  }

  /** Task 5. Sends notifications/progress for the request that carried `token`. */
  #sendProgress(token: Id, update: Progress, relatedTo: Id): void {
    todo("task 5: Peer.#sendProgress");
  }

  /**
   * Task 5. When our call `id` ends in "canceled" or "deadline_exceeded" (the caller's signal
   * or deadline, never the other side), tell the other side to stop, with this peer's
   * `cancelMethod`, while the connection is open. The reply, if one still comes, is dropped.
   */
  async #cancelRemotelyOnGiveUp(id: Id, reply: Promise<unknown>): Promise<unknown> {
    return todo("task 5: Peer.#cancelRemotelyOnGiveUp");
  }

  #reply(id: Id | null, outcome: { result: unknown } | { error: ErrorObject }): void {
    if (this.#closeReason) return;
    try {
      this.#channel.send(
        { jsonrpc: "2.0", id, ...outcome } as never,
        id === null ? {} : { relatedTo: id },
      );
    } catch {
      // JSON.stringify threw (a BigInt, a cycle): the caller still gets an answer.
      const detail = "the result cannot be written as JSON";
      const error = toPlain(protocolError(ErrorCode.InternalError, detail));
      this.#channel.send(
        { jsonrpc: "2.0", id, error } as never,
        id === null ? {} : { relatedTo: id },
      );
    }
  }

  /** Not JSON (-32700) or too long (-32600): answered with the id null, as there was none to read. */
  #refuseUnreadable(error: RpcError): void {
    const code = error.code === "bad_message" ? ErrorCode.ParseError : ErrorCode.InvalidRequest;
    this.#reply(null, { error: toPlain(protocolError(code, error.message)) });
  }

  #unexpected(id: Id): void {
    this.#log(`a reply to ${JSON.stringify(id)}, which nobody is waiting for, was dropped`);
  }

  #log(line: string): void {
    (this.#options.log ?? ((text: string) => process.stderr.write(`${text}\n`)))(line);
  }
}
