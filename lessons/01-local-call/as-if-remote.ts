import { RpcError, type RpcErrorCode } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";

/**
 * A remote call without a network: the three problems of RPC, each solved the naive way,
 * so that the next lessons have something to improve.
 */

type Service = object;
type Method = (...args: unknown[]) => unknown;

/**
 * Problem 1, the call ID. The other process has no pointer to our function, only a name.
 * Only the service's own functions may answer: "__proto__", "constructor" or "toString" live
 * on every object, and a caller must never reach them.
 */
export function lookupMethod(service: Service, name: string): Method {
  return todo("task 4: lookupMethod");
}

/** Problem 3, transport: the answer never comes back on the caller's stack. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Problem 2, serialization: only bytes cross, so the arguments, the result and any error travel
 * as JSON text. Whatever JSON cannot say is lost on the way — that is the point.
 */
export async function callAsIfRemote(
  service: Service,
  name: string,
  args: unknown[],
): Promise<unknown> {
  // Task 5. The wire is `await nextTurn()`, once each way. The error crosses as describeError
  // gives it; the caller gets the result, or an RpcError with that code and message, and
  // `remoteName` the error's name when the code is "remote_error".
  return todo("task 5: callAsIfRemote");
}

interface WireError {
  code: RpcErrorCode;
  name: string;
  message: string;
}

/** An Error object cannot cross; its name and message can. */
export function describeError(error: unknown): WireError {
  if (error instanceof RpcError)
    return { code: error.code, name: error.name, message: error.message };
  if (error instanceof Error)
    return { code: "remote_error", name: error.name, message: error.message };
  return { code: "remote_error", name: "Error", message: String(error) };
}
