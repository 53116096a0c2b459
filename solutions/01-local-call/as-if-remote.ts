import { RpcError, type RpcErrorCode } from "../../shared/rpc-error.js";

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
  const candidate: unknown = Object.hasOwn(service, name)
    ? (service as Record<string, unknown>)[name]
    : undefined;
  if (typeof candidate !== "function") {
    throw new RpcError("unknown_method", `no method named "${name}"`);
  }
  return candidate as Method;
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
  const request = JSON.stringify({ name, args });

  await nextTurn(); // ...the request crosses the wire...
  const received = JSON.parse(request) as { name: string; args: unknown[] };
  let reply: string;
  try {
    const method = lookupMethod(service, received.name);
    reply = JSON.stringify({ result: await method.apply(service, received.args) });
  } catch (error) {
    reply = JSON.stringify({ error: describeError(error) });
  }

  await nextTurn(); // ...the reply crosses back...
  const answer = JSON.parse(reply) as { result?: unknown; error?: WireError };
  if (answer.error) {
    const { code, name: remoteName, message } = answer.error;
    throw new RpcError(code, message, code === "remote_error" ? { remoteName } : {});
  }
  return answer.result;
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
