import { JsonRpcError } from "jsonrpc-lite";
import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
import { ErrorCode, protocolError, type ErrorData } from "./error-codes.js";

/**
 * How JSON-RPC's error objects meet the course's RpcError, both ways. The codes themselves
 * are in error-codes.ts.
 */

export { ErrorCode, protocolError, type ErrorData };

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
  return todo("task 1: toErrorObject");
}

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
  return todo("task 1: toRpcError");
}
