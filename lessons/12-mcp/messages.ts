import { todo } from "../../shared/todo.js";

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

/**
 * Sorts one parsed JSON value into a request, a notification, a result, an error reply, or
 * something invalid (with the id to answer under, when it had a usable one). MCP forbids the
 * id null in requests, and a peer could never route a reply to it: a request with id null is
 * invalid. A reply's `error` must be an object with an integer `code` and a string `message`.
 */
export function classifyMessage(_value: unknown): Incoming {
  return todo("task 2: classifyMessage");
}
