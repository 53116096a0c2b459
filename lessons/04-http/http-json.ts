import type { IncomingMessage, ServerResponse } from "node:http";
import { RpcError, type RpcErrorCode, type RpcErrorOptions } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";

/**
 * The HTTP half of the lesson: reading a request body safely and answering with JSON.
 * Both the GET endpoint and the POST endpoint use these, and so does lesson 5.
 */

/** An RpcError that also knows its HTTP status, for refusals that only make sense in HTTP. */
export class HttpError extends RpcError {
  constructor(
    readonly status: number,
    code: RpcErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
    options: RpcErrorOptions = {},
  ) {
    super(code, message, options);
  }
}

/** Which HTTP status tells a client, a proxy or a log what kind of failure this was. */
const STATUS: Record<RpcErrorCode, number> = {
  bad_message: 400, // the request itself is malformed: resending it unchanged will not help
  invalid_argument: 400,
  unknown_method: 404, // no such method, like no such page
  too_large: 413,
  remote_error: 422, // understood, well-formed, but the method refused (e.g. division by zero)
  deadline_exceeded: 504,
  canceled: 499,
  unavailable: 503,
  internal: 500, // our bug: the client did nothing wrong
};

export function statusFor(error: RpcError): number {
  return error instanceof HttpError ? error.status : STATUS[error.code];
}

/**
 * Task 2. Reads the whole body, refusing more than `maxBytes` with
 * `HttpError(413, "too_large", …)`. Without a limit, one client sending gigabytes would make
 * the server hold them all in memory. A Content-Length over the limit is refused before a byte
 * is read; a chunked body has no length up front and is refused as soon as its count passes
 * the limit. Bytes are joined once, at the end (joining on every chunk copies the body again
 * and again), and returned as bytes: a character may be split between two chunks. Listen to
 * the request's events rather than `for await`: leaving a for-await loop early destroys the
 * socket, and there would be no connection left to send the 413 on.
 */
export async function readBody(_request: IncomingMessage, _maxBytes: number): Promise<Buffer> {
  return todo("task 2: readBody");
}

/**
 * Answers with JSON in a single write: Content-Length is known because the body is built first,
 * so Node sends headers and body together and needs no chunked encoding.
 */
export function sendJson(
  response: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(value);
  response.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body), // bytes, not characters: "é" is two
    ...headers,
  });
  response.end(body); // a string goes out in one chunk with the headers
}

/** The error body of this lesson: `{"error": {"code", "message", "name"?}}`, never a stack. */
export function sendError(response: ServerResponse, reason: unknown, extra: object = {}): void {
  const error = RpcError.from(reason);
  if (response.headersSent) {
    response.destroy(); // too late to change the status: cut the reply so nobody trusts it
    return;
  }
  const headers = error instanceof HttpError ? { ...error.headers } : {};
  const internal = error.code === "internal";
  sendJson(
    response,
    statusFor(error),
    {
      ...extra,
      error: {
        code: error.code,
        // An internal error's message may describe our code; the client learns only that it failed.
        message: internal ? "internal server error" : error.message,
        ...(error.remoteName ? { name: error.remoteName } : {}),
      },
    },
    headers,
  );
}
