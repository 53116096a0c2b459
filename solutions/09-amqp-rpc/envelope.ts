import { randomUUID } from "node:crypto";
import { parseExactJson, stringifyExactJson } from "../../shared/exact-json.js";
import { RpcError } from "../../shared/rpc-error.js";

/**
 * What travels in an AMQP message body, byte for byte as oslo.messaging 14 writes it.
 *
 * The body is JSON, an envelope around a second JSON text:
 *   {"oslo.version": "2.0", "oslo.message": "{\"method\": \"add\", \"args\": {...}, ...}"}
 *
 * Inside, a request carries:
 *   method, args        the method's name and its arguments, by name
 *   namespace, version  optional: which endpoint may answer (see dispatcher.ts)
 *   _context_<key>      the caller's context, one key each (user, request_id, ...)
 *   _unique_id          a random id, so a redelivered message can be recognised
 *   _msg_id, _reply_q   only for a call: where and under which id the reply goes
 *   _timeout            only for a call: the call-monitor timeout (null: none)
 * and a reply carries: result, failure (a remote error, JSON text, or null), ending, _msg_id.
 */

export const ENVELOPE_VERSION = "2.0";

export type Context = Record<string, unknown>;

export interface Envelope {
  "oslo.version": string;
  "oslo.message": string;
}

export function wrap(message: Record<string, unknown>): Envelope {
  // Exact JSON: an integer past 2^53 (a bigint here, an int in Python) keeps every digit.
  return { "oslo.version": ENVELOPE_VERSION, "oslo.message": stringifyExactJson(message) };
}

/**
 * Body bytes → the message inside the envelope. A JSON object without "oslo.version" and
 * "oslo.message" is a bare message (format 1.0) and comes back as it is; an envelope needs a
 * version whose major is 2 and an "oslo.message" that is the JSON text of an object. Anything
 * else is refused with RpcError "bad_message", saying what was wrong.
 */
export function unwrap(body: Buffer): Record<string, unknown> {
  let outer: unknown;
  try {
    outer = parseExactJson(body.toString("utf8"));
  } catch {
    throw new RpcError("bad_message", "the message body is not JSON");
  }
  if (!isObject(outer)) throw new RpcError("bad_message", "the message body is not a JSON object");
  // Envelope 1.0 was the bare message; oslo still accepts it, and so do we.
  if (!("oslo.version" in outer) || !("oslo.message" in outer)) return outer;
  const version = outer["oslo.version"];
  if (typeof version !== "string" || version.split(".")[0] !== "2") {
    throw new RpcError("bad_message", `unsupported envelope version ${JSON.stringify(version)}`);
  }
  const text = outer["oslo.message"];
  let inner: unknown;
  try {
    inner = typeof text === "string" ? parseExactJson(text) : undefined;
  } catch {
    // falls through to the error below
  }
  if (!isObject(inner)) throw new RpcError("bad_message", '"oslo.message" is not a JSON object');
  return inner;
}

/** The context rides along as `_context_<key>` fields: oslo keeps header-sized keys that way. */
export function packContext(message: Record<string, unknown>, context: Context): void {
  for (const [key, value] of Object.entries(context)) message[`_context_${key}`] = value;
}

/** The reverse of packContext: the `_context_*` fields, without their prefix. */
export function unpackContext(message: Record<string, unknown>): Context {
  const context: Context = {};
  for (const key of Object.keys(message)) {
    if (key.startsWith("_context_")) context[key.slice("_context_".length)] = message[key];
  }
  return context;
}

/** oslo's failure: the exception as JSON text, so any language can rebuild or show it. */
export interface RemoteFailure {
  class: string;
  module: string;
  message: string;
  tb: string[];
  args: unknown[];
  kwargs: Record<string, unknown>;
}

// Error names Python's builtins share with the same meaning: a Python caller rebuilds those
// as its own classes ("builtins" is the only module it imports without being told to).
const BUILTIN_NAMES = new Set(["TypeError", "ValueError", "KeyError", "NotImplementedError"]);

/**
 * An error thrown by an endpoint → the `failure` text of a reply: the JSON text of a
 * RemoteFailure. `module` is the error's own `module` property if it has one, "builtins" for
 * BUILTIN_NAMES (so Python raises its own class), else "node". `tb` holds the error's own
 * words only, never a stack: file paths are nobody's business on the other side of the wire.
 * Endpoints may throw anything, even `{ toString: 1 }`: describing it must not throw.
 */
export function serializeRemoteError(error: unknown): string {
  const err = error instanceof Error ? error : new Error(safeString(error));
  const ownModule = (err as { module?: unknown }).module;
  const module =
    typeof ownModule === "string" ? ownModule : BUILTIN_NAMES.has(err.name) ? "builtins" : "node";
  const failure: RemoteFailure = {
    class: err.name,
    module,
    message: err.message,
    // Only the error's own words: a stack trace names our files and paths, which are nobody's
    // business on the other side of the wire.
    tb: [`${err.name}: ${err.message}\n`],
    args: [err.message],
    kwargs: {},
  };
  return JSON.stringify(failure);
}

/** String() that never throws: `{ toString: 1 }` can arrive in any message. */
function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

// oslo's dispatcher errors: the method or the version is unknown. A caller can branch on
// the code; the class name stays in remoteName.
const UNKNOWN_METHOD_CLASSES = new Set(["NoSuchMethod", "UnsupportedVersion"]);

/**
 * The `failure` text of a reply → an RpcError with the remote class name as `remoteName`:
 * code "unknown_method" for UNKNOWN_METHOD_CLASSES, "remote_error" otherwise. A failure that
 * is not even JSON still becomes an error, with its text as the message.
 */
export function deserializeRemoteError(text: unknown): RpcError {
  let failure: Partial<RemoteFailure> = {};
  try {
    const parsed: unknown = typeof text === "string" ? JSON.parse(text) : text;
    if (isObject(parsed)) failure = parsed as Partial<RemoteFailure>;
  } catch {
    failure = { message: String(text) };
  }
  const remoteName = typeof failure.class === "string" ? failure.class : "RemoteError";
  const message = typeof failure.message === "string" ? failure.message : "";
  const code = UNKNOWN_METHOD_CLASSES.has(remoteName) ? "unknown_method" : "remote_error";
  const error = new RpcError(code, message, { remoteName });
  // The far side's traceback, for whoever debugs it.
  if (Array.isArray(failure.tb)) Object.assign(error, { remoteTraceback: failure.tb.join("") });
  return error;
}

/** A uuid4 as 32 hex digits, the way oslo writes _unique_id, _msg_id and queue names. */
export function uniqueId(): string {
  return randomUUID().replaceAll("-", "");
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
