import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
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

  // Task 6: the four system methods (README, "Introspection and multicall"):
  //   system.listMethods()          every name this server answers to, sorted
  //   system.methodHelp(name)       its help text, "" when there is none
  //   system.methodSignature(name)  its signatures, or the string "undef" when none is known
  //   system.multicall(calls)       [{methodName, params}, ...] run in order through dispatch;
  //     one entry per call: [result], or {faultCode, faultString}. A bad entry, or a nested
  //     system.multicall, fails that entry only. Not an array, or more than
  //     maxMulticallLength calls: the whole multicall is refused ("invalid_argument", saying
  //     what the limit is), and nothing runs.
  methods.set("system.listMethods", () => todo("task 6: system.listMethods"));
  methods.set("system.methodHelp", () => todo("task 6: system.methodHelp"));
  methods.set("system.methodSignature", () => todo("task 6: system.methodSignature"));
  methods.set("system.multicall", () => todo("task 6: system.multicall"));
  return methods;
}
