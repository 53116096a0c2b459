import { RPC_ERROR_CODES, RpcError, type RpcErrorCode } from "../../shared/rpc-error.js";
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

const CODES: ReadonlySet<string> = new Set(RPC_ERROR_CODES);

/** A call as bytes: the kind byte Kind.Call, the call ID (u32), then the arguments as one value. */
export function encodeCall({ callId, args }: Call): Uint8Array {
  const writer = new Writer();
  writer.u8(Kind.Call);
  writer.u32(callId);
  writeValue(writer, args);
  return writer.finish();
}

/**
 * The reverse of encodeCall. Anything else — another kind, arguments that are not an array,
 * bytes left over — is an RpcError "bad_message": the bytes came from anyone.
 */
export function decodeCall(bytes: Uint8Array): Call {
  const reader = new Reader(bytes);
  const kind = reader.u8();
  if (kind !== Kind.Call) throw new RpcError("bad_message", `expected a call, got kind ${kind}`);
  const callId = reader.u32();
  const args = readValue(reader);
  reader.end();
  if (!Array.isArray(args))
    throw new RpcError("bad_message", "a call's arguments must be an array");
  return { callId, args };
}

/**
 * A reply as bytes: Kind.Result and the result as one value, or Kind.Error and three strings.
 * A result the layout cannot carry throws, as writeValue does.
 */
export function encodeReply(reply: Reply): Uint8Array {
  const writer = new Writer();
  if (reply.ok) {
    writer.u8(Kind.Result);
    writeValue(writer, reply.result);
  } else {
    writer.u8(Kind.Error);
    writer.string(reply.error.code);
    writer.string(reply.error.name);
    writer.string(reply.error.message);
  }
  return writer.finish();
}

/**
 * The reverse of encodeReply. Another kind, bytes left over, or an error code that is not one
 * of the course's (RPC_ERROR_CODES: "__proto__" and "toString" are not codes) is "bad_message".
 */
export function decodeReply(bytes: Uint8Array): Reply {
  const reader = new Reader(bytes);
  const kind = reader.u8();
  let reply: Reply;
  if (kind === Kind.Result) {
    reply = { ok: true, result: readValue(reader) };
  } else if (kind === Kind.Error) {
    const code = reader.string();
    if (!CODES.has(code)) throw new RpcError("bad_message", `unknown error code "${code}"`);
    reply = {
      ok: false,
      error: { code: code as RpcErrorCode, name: reader.string(), message: reader.string() },
    };
  } else {
    throw new RpcError("bad_message", `expected a reply, got kind ${kind}`);
  }
  reader.end();
  return reply;
}

/**
 * Anything thrown on the server, as the three strings that travel: never the class, whose
 * code stays on the server. An RpcError keeps its code, and the name of the remote error it
 * stands for when it has one (`remoteName`), else its own; any other Error is "remote_error"
 * with its own name and message; a thrown non-Error (a string, a number) is "remote_error"
 * named "Error", its message the thrown value as text.
 */
export function errorToWire(error: unknown): WireError {
  if (error instanceof RpcError) {
    return { code: error.code, name: error.remoteName ?? error.name, message: error.message };
  }
  if (error instanceof Error) {
    return { code: "remote_error", name: error.name, message: error.message };
  }
  return { code: "remote_error", name: "Error", message: String(error) };
}

/**
 * The caller's side: an RpcError with the wire error's code and message. For "remote_error",
 * the remote error's name goes in `remoteName`, so that a caller can tell a
 * DivisionByZeroError from any other failure without the class ever crossing.
 */
export function wireToError({ code, name, message }: WireError): RpcError {
  return new RpcError(code, message, code === "remote_error" ? { remoteName: name } : {});
}
