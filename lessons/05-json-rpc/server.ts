import { createServer, type Server, type ServerResponse } from "node:http";
import { ErrorObject } from "jsonrpc-lite";
import type { Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import { readBody } from "../../solutions/04-http/http-json.js";
import {
  discardRefusedBody,
  limitConnections,
  listenHttp,
  type ConnectionLimits,
  type ListenOptions,
  type RunningHttpServer,
} from "../../shared/http-serve.js";
import { RpcError } from "../../shared/rpc-error.js";
import { Dispatcher, type DispatcherOptions } from "./dispatcher.js";
import { ErrorCode, protocolError } from "./protocol.js";

/**
 * JSON-RPC 2.0 over HTTP: every call is a POST of a request (or a batch) to one URL, and the
 * reply is the body of the answer. HTTP statuses only speak of HTTP itself: a call that fails
 * still answers 200, with a JSON-RPC error in the body, as every JSON-RPC client expects.
 */

/** Also `maxConnections` and `idleTimeoutMs` (shared/http-serve.ts): idle sockets lock nobody out. */
export interface JsonRpcServerOptions extends DispatcherOptions, ConnectionLimits {
  /** The largest request body accepted, in bytes; a batch counts as one body. */
  maxBodyBytes?: number;
}

export interface ServeOptions extends JsonRpcServerOptions, ListenOptions {}

export type RunningJsonRpcServer = RunningHttpServer;

/** One write: the reply is built first, so Content-Length is known. */
function send(response: ServerResponse, status: number, body: string, extra = {}): void {
  response
    .writeHead(status, {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(body), // bytes, not characters
      ...extra,
    })
    .end(body); // a string leaves in one chunk with the headers
}

/** A refusal before any JSON-RPC parsing, still written as a JSON-RPC error for the client. */
function refuse(response: ServerResponse, status: number, detail: string, extra = {}): void {
  const error = new ErrorObject(null, protocolError(ErrorCode.InvalidRequest, detail));
  send(response, status, JSON.stringify(error), extra);
}

export function createJsonRpcServer(
  target: object | Registry,
  {
    maxBodyBytes = 1024 * 1024,
    maxConnections,
    idleTimeoutMs,
    ...limits
  }: JsonRpcServerOptions = {},
): Server {
  const dispatcher = new Dispatcher(target, limits);
  const server = createServer(async (request, response) => {
    if (request.method !== "POST") {
      return refuse(response, 405, "JSON-RPC calls are sent with POST", { Allow: "POST" });
    }
    // Clients disagree on the Content-Type (application/json, application/json-rpc, and curl's
    // form default), so the body decides: it is JSON-RPC, or a parse error.
    let body: Buffer;
    try {
      body = await readBody(request, maxBodyBytes);
    } catch (error) {
      if (RpcError.from(error).code !== "too_large") return void response.destroy();
      discardRefusedBody(request, response); // so that a client still sending can read the 413
      return refuse(response, 413, `the body is over ${maxBodyBytes} bytes`);
    }
    let reply: string | undefined;
    try {
      reply = await dispatcher.handle(body.toString("utf8"));
    } catch {
      // The dispatcher answers every failure of a call itself; this is a bug of ours.
      const error = new ErrorObject(null, protocolError(ErrorCode.InternalError));
      return send(response, 500, JSON.stringify(error));
    }
    // Notifications only: no response object, so an empty body. A 200, not a 204: Python's
    // jsonrpclib accepts nothing else, and its own server answers the same.
    send(response, 200, reply ?? "");
  });
  return limitConnections(server, { maxConnections, idleTimeoutMs });
}

/** Starts a JSON-RPC server; `npm run demo 5 server`, `npm run bench` and the interop tests use it. */
export function serveJsonRpc(
  target: object | Registry,
  { port, host, ...options }: ServeOptions = {},
): Promise<RunningJsonRpcServer> {
  return listenHttp(createJsonRpcServer(target, options), { port, host });
}
