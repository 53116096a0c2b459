import { randomUUID } from "node:crypto";
import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";

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
  // Task 2: the envelope version, and the message as JSON *text*.
  void message;
  return todo("task 2: wrap");
}

/** Body bytes → the message inside the envelope. Anything else is a "bad_message". */
export function unwrap(body: Buffer): Record<string, unknown> {
  // Task 2: parse the body; it must be a JSON object (isObject below). Without both
  // "oslo.version" and "oslo.message" it is a bare message (format 1.0): return it.
  // Otherwise the version's major must be "2", and "oslo.message" must parse to an object.
  // Every refusal: throw new RpcError("bad_message", "<what was wrong>").
  void body;
  return todo("task 2: unwrap");
}

/** The context rides along as `_context_<key>` fields: oslo keeps header-sized keys that way. */
export function packContext(message: Record<string, unknown>, context: Context): void {
  // Task 2: message["_context_" + key] = value, for each entry of the context.
  void [message, context];
  return todo("task 2: packContext");
}

export function unpackContext(message: Record<string, unknown>): Context {
  // Task 2: the reverse: only the keys that start with "_context_", without the prefix.
  void message;
  return todo("task 2: unpackContext");
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

/** An error thrown by an endpoint → the `failure` text of a reply. */
export function serializeRemoteError(error: unknown): string {
  // Task 2: JSON text of a RemoteFailure: class = the error's name, module = its `module`
  // property if it has one, else "builtins" for the names in BUILTIN_NAMES, else "node";
  // message; tb = the stack's lines; args = [message]; kwargs = {}.
  void [error, BUILTIN_NAMES];
  return todo("task 2: serializeRemoteError");
}

// oslo's dispatcher errors: the method or the version is unknown. A caller can branch on
// the code; the class name stays in remoteName.
const UNKNOWN_METHOD_CLASSES = new Set(["NoSuchMethod", "UnsupportedVersion"]);

/** The `failure` text of a reply → an RpcError "remote_error" with the remote class name. */
export function deserializeRemoteError(text: unknown): RpcError {
  // Task 2: parse the failure (it may not even be JSON: then its text is the message) and
  // return new RpcError(code, message, { remoteName: failure.class }), where code is
  // "unknown_method" for the classes in UNKNOWN_METHOD_CLASSES and "remote_error" otherwise.
  void [text, UNKNOWN_METHOD_CLASSES];
  return todo("task 2: deserializeRemoteError");
}

/** A uuid4 as 32 hex digits, the way oslo writes _unique_id, _msg_id and queue names. */
export function uniqueId(): string {
  return randomUUID().replaceAll("-", "");
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
