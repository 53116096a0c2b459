import { RpcError, type RpcErrorCode } from "../../shared/rpc-error.js";
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

const CODES: ReadonlySet<string> = new Set<RpcErrorCode>([
  "unknown_method",
  "invalid_argument",
  "bad_message",
  "too_large",
  "remote_error",
  "deadline_exceeded",
  "canceled",
  "unavailable",
  "internal",
]);

export function encodeCall({ callId, args }: Call): Uint8Array {
  // Task 4: a Writer; writer.u8(Kind.Call), writer.u32(callId), writeValue(writer, args);
  // return writer.finish().
  void [callId, args, Writer, writeValue];
  return todo("task 4: encodeCall");
}

export function decodeCall(bytes: Uint8Array): Call {
  // Task 4: a Reader; check the kind byte, read the call ID and one value, then reader.end().
  // A wrong kind, or arguments that are not an array: throw RpcError("bad_message").
  void [bytes, Reader, readValue];
  return todo("task 4: decodeCall");
}

export function encodeReply(reply: Reply): Uint8Array {
  // Task 4: Kind.Result and the result as one value, or Kind.Error and three strings:
  // writer.string(code), writer.string(name), writer.string(message).
  void reply;
  return todo("task 4: encodeReply");
}

export function decodeReply(bytes: Uint8Array): Reply {
  // Task 4: the mirror of encodeReply. Refuse any other kind, and an error code that is not
  // in CODES, with RpcError("bad_message"); finish with reader.end().
  void [bytes, CODES, RpcError];
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
