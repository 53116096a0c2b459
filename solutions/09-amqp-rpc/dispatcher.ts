import { RpcError } from "../../shared/rpc-error.js";
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
  const [iMajor, iMinor = 0, iRev = 0] = implemented.split(".").map(Number);
  const [rMajor, rMinor = 0, rRev = 0] = requested.split(".").map(Number);
  if ([iMajor, iMinor, iRev, rMajor, rMinor, rRev].some((n) => !Number.isInteger(n))) {
    throw new RpcError("invalid_argument", `"${requested}" is not a version like "2.1"`);
  }
  if (iMajor !== rMajor) return false;
  if (rMinor !== iMinor) return rMinor < iMinor;
  return rRev <= iRev;
}

/**
 * A speed-up you can skip: versionIsCompatible, remembering its answers, since every request
 * asks the same few questions. Bounded: past 256 requested versions it starts afresh.
 */
const answers = new Map<string, Map<string, boolean>>();
function knownCompatible(implemented: string, requested: string): boolean {
  let known = answers.get(implemented);
  if (!known) answers.set(implemented, (known = new Map()));
  let answer = known.get(requested);
  if (answer === undefined) {
    answer = versionIsCompatible(implemented, requested); // a bad version throws, unremembered
    if (known.size >= 256) known.clear();
    known.set(requested, answer);
  }
  return answer;
}

/**
 * A method the endpoint itself defines (on the object or its class), never one every object
 * inherits (`toString`, `constructor`, `__proto__`), never `target`, and never a private
 * `_name` (oslo's default access policy).
 */
export function findMethod(endpoint: object, name: string): Function | undefined {
  if (typeof name !== "string" || name.startsWith("_") || name === "target") return undefined;
  if (name === "constructor") return undefined;
  for (let o: object | null = endpoint; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    const descriptor = Object.getOwnPropertyDescriptor(o, name);
    if (descriptor) return typeof descriptor.value === "function" ? descriptor.value : undefined;
  }
  return undefined;
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
    const namespace = request.namespace ?? undefined;
    const version = request.version ?? "1.0";
    let compatible = false;
    for (const endpoint of this.#endpoints) {
      const target = (endpoint as { target?: EndpointTarget }).target;
      if ((target?.namespace ?? undefined) !== namespace) continue;
      if (!knownCompatible(target?.version ?? "1.0", version)) continue;
      compatible = true;
      const method = findMethod(endpoint, request.method);
      if (!method) continue;
      const refused = unexpectedArgument(endpoint, request.method, request.args);
      if (refused) throw refused;
      const context = this.#serializer.deserializeContext(wireContext);
      const args: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(request.args)) {
        args[name] = this.#serializer.deserializeEntity(context, value);
      }
      const result = await method.call(endpoint, context, args);
      return this.#serializer.serializeEntity(context, result);
    }
    throw compatible
      ? new NoSuchMethod(request.method)
      : new UnsupportedVersion(version, request.method);
  }
}
