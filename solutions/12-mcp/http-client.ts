import http from "node:http";
import { RpcError } from "../../shared/rpc-error.js";
import type { Channel, Receiver } from "./channel.js";
import { SESSION_HEADER, VERSION_HEADER } from "./http-server.js";
import { classifyMessage, Method, type Id, type Message } from "./messages.js";
import { SseDecoder } from "./sse.js";

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
export function httpChannel(url: string | URL, options: HttpChannelOptions = {}): Channel {
  const endpoint = new URL(url);
  // One keep-alive pool per channel: each POST reuses an idle connection (node:http costs a
  // fraction of fetch's CPU per request, which is most of a small call's cost).
  const agent = new http.Agent({ keepAlive: true });
  const inFlight = new Set<http.ClientRequest>();
  let receiver: Receiver | undefined;
  let sessionId: string | undefined;
  let protocolVersion: string | undefined;
  let closed = false;

  const headers = (extra: Record<string, string>) => {
    const all: Record<string, string> = { ...options.headers, ...extra };
    if (sessionId) all[SESSION_HEADER] = sessionId;
    if (protocolVersion) all[VERSION_HEADER] = protocolVersion;
    return all;
  };

  const exchange = (method: string, extra: Record<string, string>, body?: string) =>
    new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = http.request(endpoint, { method, headers: headers(extra), agent }, resolve);
      inFlight.add(request);
      request.once("close", () => inFlight.delete(request));
      request.once("error", reject);
      request.end(body);
    });

  const close = (reason?: RpcError) => {
    if (closed) return;
    closed = true;
    for (const request of inFlight) request.destroy();
    const ended = sessionId
      ? exchange("DELETE", {}).then(
          (response) => response.resume(),
          () => {},
        )
      : Promise.resolve();
    // Ends the session on the server; nobody waits for the answer but the pool.
    void ended.finally(() => agent.destroy());
    receiver?.onClose(reason);
  };

  /** Hands each arriving message to the peer; notes the version an initialize reply names. */
  const deliver = (value: unknown, initializeId: Id | undefined) => {
    const incoming = classifyMessage(value);
    if (incoming.kind === "result" && incoming.id === initializeId) {
      const version = (incoming.result as { protocolVersion?: unknown } | null)?.protocolVersion;
      if (typeof version === "string") protocolVersion = version;
    }
    receiver?.onMessage(value);
  };

  /** Reads an SSE body; true when a reply was among its events. */
  const readEvents = async (
    response: http.IncomingMessage,
    initializeId: Id | undefined,
  ): Promise<boolean> => {
    const decoder = new SseDecoder();
    let replied = false;
    for await (const text of response.setEncoding("utf8") as AsyncIterable<string>) {
      for (const event of decoder.push(text)) {
        let value: unknown;
        try {
          value = JSON.parse(event.data);
        } catch {
          receiver?.onBadMessage(new RpcError("bad_message", "an SSE event that is not JSON"));
          continue;
        }
        const kind = classifyMessage(value).kind;
        if (kind === "result" || kind === "error") replied = true;
        deliver(value, initializeId);
      }
    }
    return replied;
  };

  const readText = async (response: http.IncomingMessage, limit = 16 * 1024 * 1024) => {
    let text = "";
    for await (const chunk of response.setEncoding("utf8") as AsyncIterable<string>) {
      text += chunk;
      if (text.length > limit) throw new RpcError("too_large", `a reply over ${limit} bytes`);
    }
    return text;
  };

  /** A failed POST: the request it carried fails with what the server said. */
  const failRequest = (id: Id | undefined, status: number, text: string) => {
    let message = `HTTP ${status}`;
    try {
      const body = JSON.parse(text) as { error?: { message?: unknown } };
      if (typeof body.error?.message === "string") message += `: ${body.error.message}`;
    } catch {
      if (text) message += `: ${text.slice(0, 200)}`;
    }
    if (status === 404 && sessionId) {
      close(new RpcError("unavailable", `the session has ended (${message})`));
      return;
    }
    if (id !== undefined) {
      receiver?.onMessage({ jsonrpc: "2.0", id, error: { code: -32600, message } });
    } else {
      receiver?.onBadMessage(new RpcError("bad_message", message));
    }
  };

  const post = async (message: Message) => {
    const request = "method" in message && "id" in message ? message : undefined;
    const initializeId = request?.method === Method.Initialize ? request.id : undefined;
    try {
      const response = await exchange(
        "POST",
        { "content-type": "application/json", accept: "application/json, text/event-stream" },
        JSON.stringify(message),
      );
      const given = response.headers[SESSION_HEADER];
      if (typeof given === "string" && !sessionId) sessionId = given;
      const status = response.statusCode ?? 0;
      if (status < 200 || status > 299) {
        failRequest(request?.id, status, await readText(response));
        return;
      }
      const type = response.headers["content-type"] ?? "";
      if (status === 202) {
        response.resume();
        return;
      }
      if (type.startsWith("application/json")) {
        deliver(JSON.parse(await readText(response)), initializeId);
        return;
      }
      // A stream that ends before the reply (the server went away) fails the request; a
      // client that wants to resume would GET with Last-Event-ID: the decoder's lastEventId.
      const replied = await readEvents(response, initializeId);
      if (!replied && request) {
        failRequest(request.id, 502, "the stream ended before the reply");
      }
    } catch (error) {
      if (closed) return;
      if (error instanceof SyntaxError && request) {
        failRequest(request.id, 502, "a reply that is not JSON");
        return;
      }
      // The server cannot be reached (refused, reset): as for a closed socket, every call
      // in flight fails with "unavailable".
      const reason = RpcError.from(error);
      close(
        reason.code === "unavailable"
          ? reason
          : new RpcError("unavailable", reason.message, { cause: error }),
      );
    }
  };

  return {
    send(message) {
      if (!closed) void post(message);
    },
    start(r) {
      receiver = r;
    },
    close: () => close(),
  };
}
