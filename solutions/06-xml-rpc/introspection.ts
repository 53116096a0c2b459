import { RpcError } from "../../shared/rpc-error.js";
import type { Procedure, Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import type { XmlRpcValue } from "./codec.js";
import { faultFor } from "./faults.js";
import { shorten } from "./xml-reader.js";

/**
 * The system.* conventions most XML-RPC servers share (Python's SimpleXMLRPCServer among them):
 * a client can ask which methods exist, what they do and take, and send many calls in one
 * request.
 */

export interface MethodDocs {
  /** Free text for system.methodHelp. */
  help?: string;
  /** For system.methodSignature: each signature is [returnType, ...paramTypes]. */
  signatures?: string[][];
}

/** How the server runs a call by name; system.multicall runs each of its calls through it. */
export type Dispatch = (method: string, params: XmlRpcValue[]) => Promise<unknown>;

const SYSTEM_DOCS: Record<string, MethodDocs> = {
  "system.listMethods": {
    help: "The names of every method this server answers to.",
    signatures: [["array"]],
  },
  "system.methodHelp": {
    help: "What a method does, as text.",
    signatures: [["string", "string"]],
  },
  "system.methodSignature": {
    help: 'A method\'s signatures as [returnType, ...paramTypes], or "undef" if unknown.',
    signatures: [["array", "string"]],
  },
  "system.multicall": {
    help: "Runs [{methodName, params}, ...] in order; answers [[result] or {faultCode, faultString}, ...].",
    signatures: [["array", "array"]],
  },
};

/**
 * The most calls one system.multicall may hold. Each failed call answers a fault struct eight
 * times the size of a bad entry: without a limit, 1 MiB of junk would earn a 9 MB reply.
 */
export const DEFAULT_MAX_MULTICALL_LENGTH = 1000;

export function systemMethods(
  registry: Registry,
  docs: Record<string, MethodDocs>,
  dispatch: Dispatch,
  { maxMulticallLength = DEFAULT_MAX_MULTICALL_LENGTH }: { maxMulticallLength?: number } = {},
): Map<string, Procedure> {
  const methods = new Map<string, Procedure>();
  const allNames = () => [...registry.names(), ...methods.keys()].sort();
  const docsOf = (name: unknown): MethodDocs => {
    if (typeof name !== "string") throw new RpcError("invalid_argument", "expected a method name");
    if (!registry.has(name) && !methods.has(name)) {
      throw new RpcError("unknown_method", `no method named "${shorten(name)}"`);
    }
    // Object.hasOwn: docs is a plain object, and "constructor" must not find Object's.
    if (Object.hasOwn(SYSTEM_DOCS, name)) return SYSTEM_DOCS[name]!;
    return Object.hasOwn(docs, name) ? docs[name]! : {};
  };

  methods.set("system.listMethods", () => allNames());
  methods.set("system.methodHelp", (name: unknown) => docsOf(name).help ?? "");
  // The introspection convention: a non-array value means "no signature known".
  methods.set("system.methodSignature", (name: unknown) => docsOf(name).signatures ?? "undef");
  methods.set("system.multicall", async (calls: unknown) => {
    if (!Array.isArray(calls)) {
      throw new RpcError("invalid_argument", "system.multicall takes an array of calls");
    }
    if (calls.length > maxMulticallLength) {
      // Refused whole, before any call runs.
      const detail = `at most ${maxMulticallLength} calls, got ${calls.length}`;
      throw new RpcError("invalid_argument", `system.multicall takes ${detail}`);
    }
    const results: XmlRpcValue[] = [];
    // In order, one after another, as a client sending them one by one would see them run.
    for (const call of calls as unknown[]) {
      try {
        const { methodName, params = [] } = (call ?? {}) as Record<string, unknown>;
        if (typeof methodName !== "string" || !Array.isArray(params)) {
          throw new RpcError("invalid_argument", "each call is a struct {methodName, params}");
        }
        // One request may not fan out into more multicalls: that would multiply its cost.
        if (methodName === "system.multicall") {
          throw new RpcError("invalid_argument", "system.multicall cannot be nested");
        }
        results.push([(await dispatch(methodName, params as XmlRpcValue[])) as XmlRpcValue]);
      } catch (error) {
        const { faultCode, faultString } = faultFor(error);
        results.push({ faultCode, faultString });
      }
    }
    return results;
  });
  return methods;
}
