import { JsonRpcError } from "jsonrpc-lite";

/**
 * The error codes of JSON-RPC 2.0, with the messages the specification gives them.
 * https://www.jsonrpc.org/specification#error_object
 */
export const ErrorCode = {
  /** The body is not JSON at all. */
  ParseError: -32700,
  /** JSON, but not a request: no "jsonrpc": "2.0", a method that is not a string, params "bar". */
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  /** The server failed, not the call: our bug, or a result that cannot be written as JSON. */
  InternalError: -32603,
  /**
   * -32000 to -32099 are left to each server. Ours: the method ran and threw, e.g. division by
   * zero. The error's name travels in `data.name`.
   */
  MethodFailed: -32000,
} as const;

/** The messages the specification gives each code; the details go into `data`. */
const MESSAGES: Record<number, string> = {
  [ErrorCode.ParseError]: "Parse error",
  [ErrorCode.InvalidRequest]: "Invalid Request",
  [ErrorCode.MethodNotFound]: "Method not found",
  [ErrorCode.InvalidParams]: "Invalid params",
  [ErrorCode.InternalError]: "Internal error",
};

/** What our server puts in an error's `data`: a sentence for people, a name for programs. */
export interface ErrorData {
  detail?: string;
  name?: string;
}

/**
 * A predefined error, with the specification's message and our detail in `data.detail`:
 * `protocolError(ErrorCode.MethodNotFound, 'no method named "power"')`. server.ts refuses with
 * it too (405, 413), before a request reaches the dispatcher.
 */
export function protocolError(code: number, detail?: string): JsonRpcError {
  return new JsonRpcError(MESSAGES[code] ?? "Server error", code, detail ? { detail } : undefined);
}
