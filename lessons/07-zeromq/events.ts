import { randomUUID } from "node:crypto";
import { decodeMsgpack, encodeMsgpack } from "../../shared/msgpack.js";
import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";

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
  return todo("task 3: createEvent");
}

/** The array [header, name, args], with encodeMsgpack (shared/msgpack.ts): it keeps Map keys. */
export function encodeEvent(event: ZeroRpcEvent): Uint8Array {
  return todo("task 3: encodeEvent");
}

/** Decodes with decodeMsgpack and checks the shape; anything else is a RpcError("bad_message") saying what is wrong. */
export function decodeEvent(bytes: Uint8Array): ZeroRpcEvent {
  return todo("task 3: decodeEvent");
}

function isMessageId(value: unknown): value is MessageId {
  return (typeof value === "string" && value.length > 0) || value instanceof Uint8Array;
}

/** A Map key for a message id: bytes and text never collide. */
export function messageIdKey(id: MessageId): string {
  return typeof id === "string" ? `s:${id}` : `b:${Buffer.from(id).toString("hex")}`;
}

/**
 * ERR args for anything thrown: [name, message, traceback], as zerorpc-python sends them. The
 * traceback holds the error's own words ("Name: message"), never its stack: a stack names our
 * files and paths. An unknown method is a NameError, with an empty traceback, as in
 * zerorpc-python. Describing a thrown non-Error must not throw (`{ toString: 1 }`).
 */
export function errorArgs(error: unknown): [string, string, string] {
  return todo("task 3: errorArgs");
}

/** The other way round: an ERR event's args as the course's one error class. */
export function errorFromArgs(args: unknown): RpcError {
  return todo("task 3: errorFromArgs");
}
