import { JsonRpcError } from "jsonrpc-lite";
import { RpcError, type RpcErrorCode } from "../../shared/rpc-error.js";
import { ErrorCode, protocolError, type ErrorData } from "./error-codes.js";

/**
 * How JSON-RPC's error objects meet the course's RpcError, both ways. The codes themselves
 * are in error-codes.ts.
 */

export { ErrorCode, protocolError, type ErrorData };

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
 * The README's table "The error codes" is the mapping. An RpcError goes by its code, with its
 * message as `data.detail`: "bad_message" and "too_large" are -32600, "unknown_method" -32601,
 * "invalid_argument" -32602; "remote_error" is -32000 with its message as the message and
 * `data.name` (its `remoteName`, or "Error"). Every other code ("internal", "unavailable", "deadline_exceeded",
 * "canceled") is the server's failure: -32603 "Internal error", and nothing more. A TypeError
 * means invalid params (JavaScript's way of saying "wrong arguments"): -32602 with its message
 * as `data.detail` and its name. Any other Error is -32000 with its own message and
 * `data.name`; a thrown non-Error (a string, a number) is -32000 with its text as the message
 * and the name "Error".
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
    return new JsonRpcError("Invalid params", ErrorCode.InvalidParams, {
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
 * map back as the README's table says (-32700 and -32600 are both "bad_message", -32603 is
 * "internal"); any other code is the method's own failure, "remote_error", with `remoteName`
 * from `data.name`, or "JSON-RPC error <code>" when the server gave no name. `data` may be
 * anything another server chose: read only a string `detail` and `name` from it, and put the
 * detail after the message ("Method not found: no method named …"). The error object itself
 * stays available as `cause`, code and all.
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
