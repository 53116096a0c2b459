import { RpcError } from "../../shared/rpc-error.js";
import type { Channel, Receiver } from "./channel.js";
import { SESSION_HEADER, VERSION_HEADER } from "./http-server.js";
import { classifyMessage, Method, type Id, type Message } from "./messages.js";
import { SseDecoder } from "./sse.js";
import { todo } from "../../shared/todo.js";

/**
 * Streamable HTTP, client side, as a Channel: each message is one POST; what comes back (a
 * JSON reply, or an SSE stream of messages ending with the reply) is handed to the peer.
 * The session id and the negotiated protocol version, once known, ride on every request.
 */

export interface HttpChannelOptions {
  /** Extra headers on every request (e.g. Authorization, or an Origin in a test). */
  headers?: Record<string, string>;
  /** How many times a broken SSE stream is resumed with Last-Event-ID before giving up. */
  maxResumes?: number;
}

export function httpChannel(_url: string | URL, _options: HttpChannelOptions = {}): Channel {
  return todo("task 6: httpChannel");
}
