import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import { RpcError } from "../../shared/rpc-error.js";
import {
  discardRefusedBody,
  limitConnections,
  type ConnectionLimits,
} from "../../shared/http-serve.js";
import { todo } from "../../shared/todo.js";
import { HttpError, readBody, sendError, sendJson } from "./http-json.js";

/**
 * RPC over plain HTTP, two ways:
 *   GET  /add?a=1&b=2                           → {"result":3}          one URL per method
 *   POST /rpc  {"method":"add","params":[1,2],"id":1}  → {"id":1,"result":3}  one URL for all
 */

/** Also `maxConnections` and `idleTimeoutMs` (shared/http-serve.ts): idle sockets lock nobody out. */
export interface HttpRpcServerOptions extends ConnectionLimits {
  /** The largest request body accepted, in bytes; more gets 413. */
  maxBodyBytes?: number;
  /** Where internal errors are reported; the client only learns that one happened. */
  logError?: (error: RpcError) => void;
}

export const RPC_PATH = "/rpc";

/** Calls a method the way every server of the course does: thrown errors become RpcErrors. */
export async function invoke(
  registry: Registry,
  method: string,
  args: unknown[],
): Promise<unknown> {
  const { fn } = registry.byName(method); // unknown and prototype names throw unknown_method
  try {
    return await fn(...args);
  } catch (error) {
    if (error instanceof RpcError) throw error;
    // JavaScript's own convention for "wrong kind of argument", and the calculator's too.
    if (error instanceof TypeError) throw new RpcError("invalid_argument", error.message);
    if (error instanceof Error) {
      throw new RpcError("remote_error", error.message, { remoteName: error.name });
    }
    throw new RpcError("remote_error", String(error), { remoteName: "Error" });
  }
}

/**
 * Task 1. GET /add?a=1&b=2: the method is the path (percent-decoded), the two arguments are
 * `a` and `b` in the query. Every query value is text, so each one is checked and turned into
 * a number here: a missing one, or one that is not a finite number ("", "one", "1e999"), is
 * RpcError "bad_message" naming the parameter (400). `invoke` runs the method.
 */
export async function callFromQuery(_registry: Registry, _url: URL): Promise<unknown> {
  return todo("task 1: callFromQuery");
}

/**
 * Task 3. POST /rpc: one endpoint for every method. The verb (405 with `Allow: POST`), the
 * content type (415 unless application/json) and the body size (`readBody`, 413) are checked
 * before the body is parsed. The body must be JSON (else "bad_message") shaped
 * `{"method": string, "params"?: array, "id"?: string | number | null}` (else "bad_message"
 * with a message showing that shape). The id is echoed, in the result `{id, result}` (null for
 * a missing id or result) and in an error (`sendError(response, error, { id })`), so a client
 * can match reply to request; an id of any other kind is refused, since an object nested
 * 5,000 deep parses but cannot be written back. Throwing an RpcError or HttpError here sends
 * the matching error reply.
 */
export async function handleRpc(
  _request: IncomingMessage,
  _response: ServerResponse,
  _registry: Registry,
  _maxBodyBytes: number,
): Promise<void> {
  return todo("task 3: handleRpc");
}

export function createHttpRpcServer(
  service: object,
  { maxBodyBytes = 64 * 1024, logError = console.error, ...connections }: HttpRpcServerOptions = {},
): Server {
  const registry = Registry.fromService(service);
  const server = createServer(async (request, response) => {
    try {
      // The path is compared as text: POST /rpc needs no URL object, only GET's query does.
      const path = (request.url ?? "/").split("?", 1)[0];
      if (path === RPC_PATH) {
        await handleRpc(request, response, registry, maxBodyBytes);
      } else if (request.method === "GET") {
        const url = new URL(request.url ?? "/", "http://localhost");
        sendJson(response, 200, { result: (await callFromQuery(registry, url)) ?? null });
      } else {
        throw new HttpError(405, "bad_message", `use GET for ${path}`, { Allow: "GET" });
      }
    } catch (reason) {
      // One bad request gets its answer; the server goes on serving everyone else.
      const error = RpcError.from(reason);
      if (error.code === "internal") logError(error);
      // A refused upload may still be arriving: read and drop it, so the client gets the 413.
      if (error.code === "too_large") discardRefusedBody(request, response);
      sendError(response, error);
    }
  });
  // Keep-alive connections stay open between requests: a few seconds is plenty on a LAN.
  server.keepAliveTimeout = 5_000;
  return limitConnections(server, connections);
}
