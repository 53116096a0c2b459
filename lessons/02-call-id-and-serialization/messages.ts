import { isRpcErrorCode, RpcError, type RpcErrorCode } from "../../shared/rpc-error.js";
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

/** Task 4. A call: the kind byte `Kind.Call`, the call ID as a u32, the arguments as one value. */
export function encodeCall(_call: Call): Uint8Array {
  return todo("task 4: encodeCall");
}

/**
 * Task 4. The mirror of encodeCall, with nothing left over. A wrong kind, or arguments that
 * are not an array, is RpcError "bad_message".
 */
export function decodeCall(_bytes: Uint8Array): Call {
  return todo("task 4: decodeCall");
}

/** Task 4. `Kind.Result` and the result as one value, or `Kind.Error` and three strings: code, name, message. */
export function encodeReply(_reply: Reply): Uint8Array {
  return todo("task 4: encodeReply");
}

/**
 * Task 4. The mirror of encodeReply, with nothing left over. Any other kind, and an error code
 * that is not one of the course's (`isRpcErrorCode`), is RpcError "bad_message".
 */
export function decodeReply(_bytes: Uint8Array): Reply {
  return todo("task 4: decodeReply");
}

/** Anything thrown on the server, as the three strings that travel. */
export function errorToWire(error: unknown): WireError {
  if (error instanceof RpcError) {
    return { code: error.code, name: error.remoteName ?? error.name, message: error.message };
  }
  if (error instanceof Error) {
    return { code: "remote_error", name: error.name, message: error.message };
  }
  return { code: "remote_error", name: "Error", message: String(error) };
}

/** The caller's side: an RpcError with the remote error's name in `remoteName`. */
export function wireToError({ code, name, message }: WireError): RpcError {
  return new RpcError(code, message, code === "remote_error" ? { remoteName: name } : {});
}
