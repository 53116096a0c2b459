import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import { RpcError } from "../../shared/rpc-error.js";
import {
  discardRefusedBody,
  limitConnections,
  type ConnectionLimits,
} from "../../shared/http-serve.js";
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

/** A query parameter that must be a finite number: "1" and "-2.5" are, "", "x" and "1e999" are not. */
function numberParam(url: URL, name: string): number {
  const text = url.searchParams.get(name);
  if (text === null) throw new RpcError("bad_message", `the query needs ${name}, e.g. ?a=1&b=2`);
  const value = text.trim() === "" ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) {
    throw new RpcError("bad_message", `${name} must be a number, got ${JSON.stringify(text)}`);
  }
  return value;
}

/**
 * GET /add?a=1&b=2: the method is the path, the two arguments are `a` and `b` in the query.
 * Every query value is text, so each one is checked and turned into a number here.
 */
export async function callFromQuery(registry: Registry, url: URL): Promise<unknown> {
  let method: string;
  try {
    method = decodeURIComponent(url.pathname.slice(1));
  } catch {
    throw new RpcError("bad_message", `the path ${url.pathname} is not valid percent-encoding`);
  }
  registry.byName(method); // 404 before complaining about the query of a method that is not there
  return invoke(registry, method, [numberParam(url, "a"), numberParam(url, "b")]);
}

interface RpcRequest {
  method: string;
  params: unknown[];
  id: unknown;
}

/** Checks the shape of `{method, params, id}`; anything else is a malformed request. */
function parseRpcRequest(body: Buffer): RpcRequest {
  let request: unknown;
  try {
    request = JSON.parse(body.toString("utf8"));
  } catch {
    throw new RpcError("bad_message", "the body is not valid JSON");
  }
  const shape = 'the body must be {"method": "<name>", "params": [...], "id": ...}';
  if (typeof request !== "object" || request === null || Array.isArray(request)) {
    throw new RpcError("bad_message", shape);
  }
  const { method, params = [], id = null } = request as Record<string, unknown>;
  if (typeof method !== "string" || !Array.isArray(params))
    throw new RpcError("bad_message", shape);
  // The id is echoed back, so it must be something we can echo: an object nested 5,000 deep
  // parses, but JSON.stringify would run out of stack writing the reply.
  if (id !== null && typeof id !== "string" && typeof id !== "number") {
    throw new RpcError("bad_message", "the id must be a string, a number or null");
  }
  return { method, params, id };
}

/**
 * POST /rpc: one endpoint for every method. The verb, the content type and the body size are
 * checked before the body is parsed; the id is echoed so a client can match reply to request.
 */
export async function handleRpc(
  request: IncomingMessage,
  response: ServerResponse,
  registry: Registry,
  maxBodyBytes: number,
): Promise<void> {
  if (request.method !== "POST") {
    throw new HttpError(405, "bad_message", `use POST for ${RPC_PATH}`, { Allow: "POST" });
  }
  const type = request.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415, "bad_message", "send the body as Content-Type: application/json");
  }
  const rpc = parseRpcRequest(await readBody(request, maxBodyBytes));
  try {
    const result = await invoke(registry, rpc.method, rpc.params);
    sendJson(response, 200, { id: rpc.id, result: result ?? null });
  } catch (error) {
    sendError(response, error, { id: rpc.id });
  }
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
