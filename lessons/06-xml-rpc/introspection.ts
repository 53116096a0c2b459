import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
import type { Procedure, Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import type { XmlRpcValue } from "./codec.js";
import { faultFor } from "./faults.js";

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

export function systemMethods(
  registry: Registry,
  docs: Record<string, MethodDocs>,
  dispatch: Dispatch,
): Map<string, Procedure> {
  const methods = new Map<string, Procedure>();
  const allNames = () => [...registry.names(), ...methods.keys()].sort();
  const docsOf = (name: unknown): MethodDocs => {
    if (typeof name !== "string") throw new RpcError("invalid_argument", "expected a method name");
    if (!registry.has(name) && !methods.has(name)) {
      throw new RpcError("unknown_method", `no method named ${JSON.stringify(name)}`);
    }
    // Object.hasOwn: docs is a plain object, and "constructor" must not find Object's.
    if (Object.hasOwn(SYSTEM_DOCS, name)) return SYSTEM_DOCS[name]!;
    return Object.hasOwn(docs, name) ? docs[name]! : {};
  };

  // Task 6: four methods. Useful: allNames(), docsOf(name), dispatch(name, params), faultFor(error)
  //   system.listMethods()          → every name, sorted (allNames does it)
  //   system.methodHelp(name)       → docsOf(name).help, or "" when there is none
  //   system.methodSignature(name)  → docsOf(name).signatures, or the string "undef"
  //   system.multicall(calls)       → calls must be an array (else RpcError "invalid_argument");
  //     run each { methodName, params } in order with dispatch, and answer [result] for a
  //     success, { faultCode, faultString } (faultFor) for a failure — a bad entry or a nested
  //     system.multicall is a failure of that entry only.
  void [allNames, docsOf, dispatch, faultFor];
  methods.set("system.listMethods", () => todo("task 6: system.listMethods"));
  methods.set("system.methodHelp", () => todo("task 6: system.methodHelp"));
  methods.set("system.methodSignature", () => todo("task 6: system.methodSignature"));
  methods.set("system.multicall", () => todo("task 6: system.multicall"));
  return methods;
}
