import { JsonRpcError } from "jsonrpc-lite";
import { RpcError, type RpcErrorCode } from "../../shared/rpc-error.js";

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

const CODE_OF: Partial<Record<RpcErrorCode, number>> = {
  bad_message: ErrorCode.InvalidRequest,
  too_large: ErrorCode.InvalidRequest,
  unknown_method: ErrorCode.MethodNotFound,
  invalid_argument: ErrorCode.InvalidParams,
};

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
export function toErrorObject(reason: unknown): JsonRpcError {
  if (reason instanceof RpcError) {
    if (reason.code === "remote_error") {
      return new JsonRpcError(reason.message, ErrorCode.MethodFailed, {
        name: reason.remoteName ?? "Error",
      } satisfies ErrorData);
    }
    const code = CODE_OF[reason.code];
    if (code !== undefined) return protocolError(code, reason.message);
    return protocolError(ErrorCode.InternalError); // no detail: it may describe our code
  }
  // JavaScript's convention, and the calculator's: a TypeError means "wrong arguments".
  if (reason instanceof TypeError) {
    return new JsonRpcError(MESSAGES[ErrorCode.InvalidParams]!, ErrorCode.InvalidParams, {
      detail: reason.message,
      name: reason.name,
    } satisfies ErrorData);
  }
  if (reason instanceof Error) {
    return new JsonRpcError(reason.message, ErrorCode.MethodFailed, {
      name: reason.name,
    } satisfies ErrorData);
  }
  return new JsonRpcError(String(reason), ErrorCode.MethodFailed, { name: "Error" });
}

const RPC_CODE_OF: Record<number, RpcErrorCode> = {
  [ErrorCode.ParseError]: "bad_message",
  [ErrorCode.InvalidRequest]: "bad_message",
  [ErrorCode.MethodNotFound]: "unknown_method",
  [ErrorCode.InvalidParams]: "invalid_argument",
  [ErrorCode.InternalError]: "internal",
};

/**
 * Client side: an error object from any JSON-RPC server becomes an RpcError. Predefined codes
 * map to their meaning; anything else is the method's own failure ("remote_error", named by
 * `data.name` when the server gave one). `data` may be anything another server chose: read
 * only the string `detail` and `name` from it, and put the detail after the message. The error
 * object itself stays available as `cause`, code and all.
 */
export function toRpcError(error: { code: number; message: string; data?: unknown }): RpcError {
  const data = (
    typeof error.data === "object" && error.data !== null ? error.data : {}
  ) as ErrorData;
  const detail = typeof data.detail === "string" ? data.detail : undefined;
  const name = typeof data.name === "string" ? data.name : undefined;
  const code = RPC_CODE_OF[error.code] ?? "remote_error";
  const message = detail ? `${error.message}: ${detail}` : error.message;
  return new RpcError(code, message, {
    cause: error,
    ...(code === "remote_error" ? { remoteName: name ?? `JSON-RPC error ${error.code}` } : {}),
  });
}
