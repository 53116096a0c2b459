import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
import type { Context } from "./envelope.js";
import { noOpSerializer, type Serializer } from "./serializer.js";

/**
 * The server's half of the call ID: which endpoint, which method. Like oslo's RPCDispatcher,
 * an endpoint may carry a `target` with a namespace and a version; a request reaches it only
 * when both fit. Methods are called as `method(context, args)`, args by name.
 */

export interface EndpointTarget {
  namespace?: string;
  version?: string;
}

/**
 * Any object with methods; a `target` property, if any, holds its namespace and version, and a
 * `parameters` property the names each method takes (see unexpectedArgument).
 */
export type Endpoint = object;

export interface Request {
  method: string;
  args: Record<string, unknown>;
  namespace?: string | null;
  version?: string | null;
}

/** The same class names as oslo's dispatcher errors, so a Python caller sees familiar ones. */
export class NoSuchMethod extends RpcError {
  override name = "NoSuchMethod";
  readonly module = "oslo_messaging.rpc.dispatcher";

  constructor(method: string) {
    super("unknown_method", `Endpoint does not support RPC method ${method}`);
  }
}

export class UnsupportedVersion extends RpcError {
  override name = "UnsupportedVersion";
  readonly module = "oslo_messaging.rpc.dispatcher";

  constructor(version: string, method: string) {
    super(
      "unknown_method",
      `Endpoint does not support RPC version ${version}. Attempted method: ${method}`,
    );
  }
}

/**
 * "major.minor[.revision]": an endpoint at 2.3 answers requests for 2.0 to 2.3, never 1.x or
 * 3.x — the same major means the same contract, a higher minor only adds to it.
 */
export function versionIsCompatible(implemented: string, requested: string): boolean {
  return todo("task 3: versionIsCompatible");
}

/**
 * A method the endpoint itself defines (on the object or its class), never one every object
 * inherits (`toString`, `constructor`, `__proto__`), never `target`, and never a private
 * `_name` (oslo's default access policy).
 */
export function findMethod(endpoint: object, name: string): Function | undefined {
  return todo("task 3: findMethod");
}

/**
 * Python checks a call's keyword arguments against the method's signature; JavaScript has no
 * names to check against. An endpoint that lists its methods' parameters, `parameters:
 * { add: ["x", "y"] }`, gets Python's answer to a name it does not take: a TypeError, which an
 * oslo caller raises as its own. Without a list, every argument is passed on.
 */
export function unexpectedArgument(
  endpoint: object,
  method: string,
  args: Record<string, unknown>,
): RpcError | undefined {
  const lists = (endpoint as { parameters?: Record<string, readonly string[]> }).parameters;
  const names = lists && Object.hasOwn(lists, method) ? lists[method] : undefined;
  if (!Array.isArray(names)) return undefined;
  const extra = Object.keys(args).find((name) => !names.includes(name));
  if (extra === undefined) return undefined;
  const error = new RpcError(
    "invalid_argument",
    `${method}() got an unexpected keyword argument '${extra.slice(0, 40)}'`,
  );
  error.name = "TypeError";
  return error;
}

export class Dispatcher {
  readonly #endpoints: Endpoint[];
  readonly #serializer: Serializer;

  constructor(endpoints: Endpoint[], serializer: Serializer = noOpSerializer) {
    this.#endpoints = endpoints;
    this.#serializer = serializer;
  }

  /**
   * Finds the endpoint, deserializes context and arguments, calls, serializes the result.
   * An endpoint answers when its target's namespace equals the request's (none = none) and
   * its version (default "1.0") is compatible with the request's (default "1.0"). No endpoint
   * has the method: NoSuchMethod if some endpoint was compatible, UnsupportedVersion if none.
   * An argument the method does not take (unexpectedArgument) is thrown before it is called.
   */
  async dispatch(wireContext: Context, request: Request): Promise<unknown> {
    return todo("task 3: Dispatcher.dispatch");
  }
}
