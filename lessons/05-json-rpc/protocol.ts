import { JsonRpcError } from "jsonrpc-lite";
import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";

/**
 * The error codes of JSON-RPC 2.0 and how they meet the course's RpcError, both ways.
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

/** A predefined error, with the specification's message and our detail. */
export function protocolError(code: number, detail?: string): JsonRpcError {
  return new JsonRpcError(MESSAGES[code] ?? "Server error", code, detail ? { detail } : undefined);
}

/**
 * Server side: anything a method threw (or the dispatcher refused) becomes an error object.
 * Only the message and the name leave the process; a stack trace would tell a stranger where
 * our files are and what they call.
 *
 * The README's table "The error codes" is the whole mapping: an RpcError goes by its code
 * (with its message as `data.detail`), a TypeError means invalid params (JavaScript's way of
 * saying "wrong arguments"), any other Error is -32000 with its own message and `data.name`,
 * and an internal error says "Internal error" and nothing more.
 */
export function toErrorObject(_reason: unknown): JsonRpcError {
  return todo("task 1: toErrorObject");
}

/**
 * Client side: an error object from any JSON-RPC server becomes an RpcError. Predefined codes
 * map to their meaning; anything else is the method's own failure ("remote_error", named by
 * `data.name` when the server gave one). `data` may be anything another server chose: read
 * only the string `detail` and `name` from it, and put the detail after the message. The error
 * object itself stays available as `cause`, code and all.
 */
export function toRpcError(_error: { code: number; message: string; data?: unknown }): RpcError {
  return todo("task 1: toRpcError");
}
