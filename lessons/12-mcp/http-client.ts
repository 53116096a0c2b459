import http from "node:http";
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
}

/**
 * Task 6. Each message sent is one POST to `url`, with `Content-Type: application/json` and
 * `Accept: application/json, text/event-stream`. The first `Mcp-Session-Id` the server
 * answers with rides on every later request, and so does the protocol version of the
 * initialize reply (`MCP-Protocol-Version`). What comes back goes to the receiver: nothing
 * for 202, the body for JSON, each event's data for SSE. A refused POST (4xx, 5xx) fails the
 * request it carried with an error reply under its id; a 404 while a session is open means
 * the session is gone, and the channel closes. A server that cannot be reached closes the
 * channel with "unavailable". `close()` ends the session with DELETE.
 */
export function httpChannel(_url: string | URL, _options: HttpChannelOptions = {}): Channel {
  return todo("task 6: httpChannel");
}
