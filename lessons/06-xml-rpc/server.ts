import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import {
  discardRefusedBody,
  limitConnections,
  listenHttp,
  type ConnectionLimits,
  type ListenOptions,
  type RunningHttpServer,
} from "../../shared/http-serve.js";
import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
import { Registry, type Procedure } from "../../solutions/02-call-id-and-serialization/registry.js";
import { readBody } from "../../solutions/04-http/http-json.js";
import type { XmlRpcValue } from "./codec.js";
import { FaultCode, faultFor } from "./faults.js";
import { systemMethods, type MethodDocs } from "./introspection.js";
import { decodeCall, encodeFault, encodeResponse } from "./messages.js";
import { XmlSyntaxError, type ReadOptions } from "./xml-reader.js";

/**
 * XML-RPC over HTTP: POST /RPC2 with a text/xml methodCall, a 200 text/xml methodResponse back.
 * Problems with the call itself are faults (still HTTP 200, as the specification wants);
 * problems with the HTTP request — wrong path, verb, content type, a body too large — are 4xx.
 *
 * Node runs every request's handler on one event loop, but a handler that awaits (a slow
 * method, I/O) lets the next request in: a slow call does not hold the others up, which is
 * what Python's single-threaded SimpleXMLRPCServer needs ThreadingMixIn for.
 */

/** Also `maxConnections` and `idleTimeoutMs` (shared/http-serve.ts): idle sockets lock nobody out. */
export interface XmlRpcServerOptions extends ReadOptions, ConnectionLimits {
  /** Paths that answer; Python's ServerProxy posts to /RPC2 by default. */
  paths?: string[];
  /** Request bodies above this many bytes get 413. */
  maxBodyBytes?: number;
  /** Help and signatures for system.methodHelp / system.methodSignature. */
  docs?: Record<string, MethodDocs>;
  /** The most calls one system.multicall may hold (1000 by default). */
  maxMulticallLength?: number;
}

export interface ServeOptions extends XmlRpcServerOptions, ListenOptions {}

/** `url` is the first path's, e.g. http://127.0.0.1:8088/RPC2. */
export type RunningXmlRpcServer = RunningHttpServer;

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export function createXmlRpcServer(
  target: object | Registry,
  {
    paths = ["/RPC2", "/"],
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    maxDepth,
    docs = {},
    maxMulticallLength,
    maxConnections,
    idleTimeoutMs,
  }: XmlRpcServerOptions = {},
): Server {
  const registry = target instanceof Registry ? target : Registry.fromService(target);
  const dispatch = async (method: string, params: XmlRpcValue[]): Promise<unknown> => {
    // byName throws unknown_method for anything not registered, prototype names included.
    const fn: Procedure = system.get(method) ?? registry.byName(method).fn;
    return await fn(...params);
  };
  const system = systemMethods(registry, docs, dispatch, { maxMulticallLength });

  /**
   * One HTTP request. Refusals of the HTTP request itself are plain-text 4xx (`refuse`): a path
   * not in `paths` 404, a verb other than POST 405 with `Allow: POST`, a Content-Type other
   * than text/xml or application/xml (parameters allowed) 415, a Content-Encoding other than
   * identity 415, a body over `maxBodyBytes` 413 (lesson 4's `readBody` refuses it; then
   * `discardRefusedBody`, so that a client still sending can read the 413). Everything about
   * the call is an answer, HTTP 200 text/xml with its Content-Length: the result, or a fault
   * (`faultFor`) for bytes that are not UTF-8 (`utf8`), XML `decodeCall` refuses (with
   * `maxDepth`), an unknown method or a method that throws; a result XML-RPC cannot carry is a
   * fault with FaultCode.internalError.
   */
  async function handle(_request: IncomingMessage, _response: ServerResponse): Promise<void> {
    return todo("task 5: handle a request");
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // Only a broken connection gets here; the server goes on serving everyone else.
      if (!response.headersSent) refuse(response, 500, RpcError.from(error).message);
      else response.destroy();
    });
  });
  return limitConnections(server, { maxConnections, idleTimeoutMs });
}

/** Listens (port 0 by default: the OS picks) and returns the URL to call. */
export async function serveXmlRpc(
  target: object | Registry,
  { port, host, ...options }: ServeOptions = {},
): Promise<RunningXmlRpcServer> {
  const running = await listenHttp(createXmlRpcServer(target, options), { port, host });
  const path = options.paths?.[0] ?? "/RPC2";
  return { ...running, url: running.url.replace(/\/$/, path) };
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Bytes that are not UTF-8 are a parse error (TextDecoder's own TypeError would read as bad params). */
function utf8(body: Buffer): string {
  try {
    return decoder.decode(body);
  } catch {
    throw new XmlSyntaxError("the body is not valid UTF-8");
  }
}

function refuse(response: ServerResponse, status: number, message: string): void {
  const body = `${message}\n`;
  response.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
  });
  response.end(body);
}
