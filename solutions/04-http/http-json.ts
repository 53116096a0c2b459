import type { IncomingMessage, ServerResponse } from "node:http";
import { RpcError, type RpcErrorCode, type RpcErrorOptions } from "../../shared/rpc-error.js";

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
 * Reads the whole body, refusing more than `maxBytes`. Without a limit, one client sending
 * gigabytes would make the server hold them all in memory.
 */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new HttpError(413, "too_large", `the body is over ${maxBytes} bytes`);
  // Content-Length lets us refuse before reading a single byte of the body.
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > maxBytes) throw tooLarge();

  // A chunked body has no length up front: count as it arrives. Chunks go into a list and are
  // joined once at the end; concatenating on every chunk would copy the body again and again.
  // (Events, not `for await`: leaving a for-await loop early destroys the socket, and then
  // there is no connection left to send the 413 on.)
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      request.off("data", onData);
      request.resume(); // discard whatever else arrives
      reject(tooLarge());
    };
    request.on("data", onData);
    request.once("end", () => resolve(Buffer.concat(chunks, size)));
    request.once("error", reject);
  });
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
