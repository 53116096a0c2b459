/**
 * The JSON-RPC 2.0 messages two peers exchange, as MCP and LSP use them, and the names and
 * codes of both protocols in one place. Lesson 5's protocol.ts holds the codes every
 * JSON-RPC server shares (-32700 … -32603); these are the ones a peer adds.
 */

export type Id = string | number;

export interface Request {
  jsonrpc: "2.0";
  id: Id;
  method: string;
  params?: Record<string, unknown> | unknown[];
}

export interface Notification {
  jsonrpc: "2.0";
  method: string;
  params?: Record<string, unknown> | unknown[];
}

export interface ErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export type Response =
  | { jsonrpc: "2.0"; id: Id; result: unknown }
  | { jsonrpc: "2.0"; id: Id | null; error: ErrorObject };

export type Message = Request | Notification | Response;

/** One incoming message, sorted out by `classifyMessage`. */
export type Incoming =
  | { kind: "request"; message: Request }
  | { kind: "notification"; message: Notification }
  | { kind: "result"; id: Id; result: unknown }
  | { kind: "error"; id: Id | null; error: ErrorObject }
  /** Not a JSON-RPC message: answered with -32600 Invalid Request, under `id` when it had one. */
  | { kind: "invalid"; id: Id | null; detail: string };

export const Method = {
  Initialize: "initialize",
  Initialized: "notifications/initialized",
  Ping: "ping",
  ToolsList: "tools/list",
  ToolsCall: "tools/call",
  /** MCP's cancellation: the receiver stops and sends no reply. */
  Cancelled: "notifications/cancelled",
  /** LSP's cancellation: the receiver stops and replies with RequestCancelled. */
  CancelRequest: "$/cancelRequest",
  Progress: "notifications/progress",
  RootsList: "roots/list",
  Elicit: "elicitation/create",
} as const;

export const PeerErrorCode = {
  /** LSP's answer to a request before `initialize`; MCP servers commonly give the same. */
  ServerNotInitialized: -32002,
  /** LSP's reply to a request cancelled with `$/cancelRequest`. */
  RequestCancelled: -32800,
} as const;

/** The MCP revisions this lesson speaks, newest first; it follows 2025-06-18 and later. */
export const SUPPORTED_PROTOCOL_VERSIONS = ["2025-11-25", "2025-06-18", "2025-03-26"] as const;
export const LATEST_PROTOCOL_VERSION = SUPPORTED_PROTOCOL_VERSIONS[0];

function isId(value: unknown): value is Id {
  return typeof value === "string" || Number.isSafeInteger(value);
}

function isParams(value: unknown): boolean {
  return value === undefined || (typeof value === "object" && value !== null);
}

/**
 * Sorts one parsed JSON value into a request, a notification, a result, an error reply, or
 * something invalid (with the id to answer under, when it had a usable one). MCP forbids the
 * id null in requests, and a peer could never route a reply to it: a request with id null is
 * invalid. A reply's `error` must be an object with an integer `code` and a string `message`.
 */
export function classifyMessage(value: unknown): Incoming {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { kind: "invalid", id: null, detail: "a message must be a JSON object" };
  }
  const object = value as Record<string, unknown>;
  const id = isId(object.id) ? object.id : null;
  if (object.jsonrpc !== "2.0") {
    return { kind: "invalid", id, detail: 'a message needs "jsonrpc": "2.0"' };
  }
  if ("method" in object) {
    if (typeof object.method !== "string" || object.method === "") {
      return { kind: "invalid", id, detail: '"method" must be a non-empty string' };
    }
    if (!isParams(object.params)) {
      return { kind: "invalid", id, detail: '"params" must be an array or an object' };
    }
    if (!("id" in object)) return { kind: "notification", message: value as Notification };
    if (id === null) {
      return { kind: "invalid", id: null, detail: '"id" must be a string or an integer' };
    }
    return { kind: "request", message: value as Request };
  }
  if ("result" in object && id !== null) return { kind: "result", id, result: object.result };
  const error = object.error as ErrorObject | undefined;
  if (
    typeof error === "object" &&
    error !== null &&
    Number.isSafeInteger(error.code) &&
    typeof error.message === "string" &&
    (id !== null || object.id === null)
  ) {
    return { kind: "error", id, error };
  }
  return { kind: "invalid", id, detail: "neither a request, a notification nor a reply" };
}
