import { randomUUID } from "node:crypto";
import { decodeMsgpack, encodeMsgpack } from "../../shared/msgpack.js";
import { RpcError } from "../../shared/rpc-error.js";

/**
 * zerorpc's event layer (protocol version 3). Every message is one msgpack array:
 *
 *   [ header, name, args ]
 *     header  map   { message_id, v: 3, response_to? }   keys are msgpack str
 *     name    str   a method name, or one of the event names below
 *     args    any   an array for calls and OK; the item itself for STREAM; nil for STREAM_DONE
 *
 * The first event of a conversation opens a channel named by its message_id; every later
 * event on that channel, in either direction, carries `response_to` = that id.
 */

export const PROTOCOL_VERSION = 3;

/** The event names zerorpc reserves. Anything else in `name` is a method to call. */
export const EVENT = {
  /** The reply of a unary call: args = [result]. */
  OK: "OK",
  /** A failure: args = [error name, human message, traceback]. */
  ERR: "ERR",
  /** One item of a streamed reply: args = the item itself (not wrapped). */
  STREAM: "STREAM",
  /** The end of a stream: args = nil. */
  STREAM_DONE: "STREAM_DONE",
  /** "I am still here", sent on every open channel: args = [0]. */
  HEARTBEAT: "_zpc_hb",
  /** Flow control: args = [how many more events the sender can take]. */
  MORE: "_zpc_more",
  /** The built-in method that describes a server's methods. */
  INSPECT: "_zerorpc_inspect",
} as const;

/**
 * zerorpc-python sends message ids as msgpack bin (bytes); zerorpc-node sends UUID strings.
 * A server must echo whichever it got, unchanged, in `response_to`.
 */
export type MessageId = string | Uint8Array;

export interface EventHeader {
  message_id: MessageId;
  v: number;
  response_to?: MessageId;
  [extra: string]: unknown;
}

export interface ZeroRpcEvent {
  header: EventHeader;
  name: string;
  args: unknown;
}

/** A fresh id in the UUID format the protocol document recommends. */
export function newMessageId(): string {
  return randomUUID();
}

/** Builds an event; the header's keys are in zerorpc-python's order: message_id, v, response_to. */
export function createEvent(name: string, args: unknown, responseTo?: MessageId): ZeroRpcEvent {
  const header: EventHeader = { message_id: newMessageId(), v: PROTOCOL_VERSION };
  if (responseTo !== undefined) header.response_to = responseTo;
  return { header, name, args };
}

/** The array [header, name, args], with encodeMsgpack (shared/msgpack.ts): it keeps Map keys. */
export function encodeEvent(event: ZeroRpcEvent): Uint8Array {
  return encodeMsgpack([event.header, event.name, event.args]);
}

/** Decodes with decodeMsgpack and checks the shape; anything else is a RpcError("bad_message") saying what is wrong. */
export function decodeEvent(bytes: Uint8Array): ZeroRpcEvent {
  let value: unknown;
  try {
    value = decodeMsgpack(bytes);
  } catch (error) {
    throw new RpcError("bad_message", `not a msgpack value: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!Array.isArray(value) || value.length !== 3) {
    throw new RpcError("bad_message", "an event must be a msgpack array [header, name, args]");
  }
  const [header, name, args] = value as [unknown, unknown, unknown];
  if (header === null || typeof header !== "object" || Array.isArray(header)) {
    throw new RpcError("bad_message", "the event header must be a map");
  }
  const { message_id: id, response_to: to } = header as Record<string, unknown>;
  if (!isMessageId(id)) {
    throw new RpcError("bad_message", "the event header needs a message_id (str or bin)");
  }
  if (to !== undefined && !isMessageId(to)) {
    throw new RpcError("bad_message", "response_to must be a str or bin message id");
  }
  if (typeof name !== "string" || name.length === 0) {
    throw new RpcError("bad_message", "the event name must be a non-empty string");
  }
  return { header: header as EventHeader, name, args };
}

function isMessageId(value: unknown): value is MessageId {
  return (typeof value === "string" && value.length > 0) || value instanceof Uint8Array;
}

/** A Map key for a message id: bytes and text never collide. */
export function messageIdKey(id: MessageId): string {
  return typeof id === "string" ? `s:${id}` : `b:${Buffer.from(id).toString("hex")}`;
}

/** ERR args for anything thrown: [name, message, traceback], as zerorpc-python sends them. */
export function errorArgs(error: unknown): [string, string, string] {
  if (error instanceof RpcError && error.code === "unknown_method") {
    // zerorpc-python raises NameError(method); clients of every language know that name.
    return ["NameError", error.message, ""];
  }
  // The traceback holds the error's own words only: a stack names our files and their paths,
  // which are nobody's business on the other side of the wire.
  if (error instanceof Error) return [error.name, error.message, `${error.name}: ${error.message}`];
  return ["Error", describeThrown(error), ""];
}

/** The other way round: an ERR event's args as the course's one error class. */
export function errorFromArgs(args: unknown): RpcError {
  if (!Array.isArray(args) || typeof args[0] !== "string") {
    return new RpcError("bad_message", "an ERR event must carry [name, message, traceback]");
  }
  const [name, message] = args as [string, unknown];
  const text = typeof message === "string" ? message : String(message);
  if (name === "NameError") return new RpcError("unknown_method", text);
  return new RpcError("remote_error", text, { remoteName: name });
}

/** String() of a thrown value that never throws itself: `{ toString: 1 }` can arrive. */
function describeThrown(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
