import { RPC_ERROR_CODES, RpcError, type RpcErrorCode } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
import { Reader, readValue, Writer, writeValue } from "./serializer.js";

/**
 * The two messages of a call, built on the value layout of serializer.ts. The first byte says
 * which message it is, so a reply can never be mistaken for a call.
 *
 *   call     offset 0  u8   0x01
 *            offset 1  u32  call ID (big-endian): which function, by the shared table
 *            offset 5  ...  the arguments: one array value (tag 0x07, count, values)
 *
 *   result   offset 0  u8   0x02
 *            offset 1  ...  the result: one value
 *
 *   error    offset 0  u8   0x03
 *            offset 1  ...  three strings, each a u32 byte length then UTF-8:
 *                           the RpcError code, the error's name, its message
 */
export const Kind = { Call: 0x01, Result: 0x02, Error: 0x03 } as const;

export interface Call {
  callId: number;
  args: unknown[];
}

/** What crosses the wire of an error: never the class, only what describes it. */
export interface WireError {
  code: RpcErrorCode;
  name: string;
  message: string;
}

export type Reply = { ok: true; result: unknown } | { ok: false; error: WireError };

/** A call as bytes: the kind byte Kind.Call, the call ID (u32), then the arguments as one value. */
export function encodeCall({ callId, args }: Call): Uint8Array {
  return todo("task 4: encodeCall");
}

/**
 * The reverse of encodeCall. Anything else — another kind, arguments that are not an array,
 * bytes left over — is an RpcError "bad_message": the bytes came from anyone.
 */
export function decodeCall(bytes: Uint8Array): Call {
  return todo("task 4: decodeCall");
}

/**
 * A reply as bytes: Kind.Result and the result as one value, or Kind.Error and three strings.
 * A result the layout cannot carry throws, as writeValue does.
 */
export function encodeReply(reply: Reply): Uint8Array {
  return todo("task 4: encodeReply");
}

/**
 * The reverse of encodeReply. Another kind, bytes left over, or an error code that is not one
 * of the course's (RPC_ERROR_CODES: "__proto__" and "toString" are not codes) is "bad_message".
 */
export function decodeReply(bytes: Uint8Array): Reply {
  return todo("task 4: decodeReply");
}

/**
 * Anything thrown on the server, as the three strings that travel: never the class, whose
 * code stays on the server. An RpcError keeps its code, and the name of the remote error it
 * stands for when it has one (`remoteName`), else its own; any other Error is "remote_error"
 * with its own name and message; a thrown non-Error (a string, a number) is "remote_error"
 * named "Error", its message the thrown value as text.
 */
export function errorToWire(error: unknown): WireError {
  return todo("task 4: errorToWire");
}

/**
 * The caller's side: an RpcError with the wire error's code and message. For "remote_error",
 * the remote error's name goes in `remoteName`, so that a caller can tell a
 * DivisionByZeroError from any other failure without the class ever crossing.
 */
export function wireToError(error: WireError): RpcError {
  return todo("task 4: wireToError");
}
