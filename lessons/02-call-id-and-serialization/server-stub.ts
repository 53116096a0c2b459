import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
import { decodeCall, encodeReply, errorToWire, type Call } from "./messages.js";
import type { Registry } from "./registry.js";

/**
 * The server stub: bytes of a call in, bytes of a reply out. It never throws, because
 * whatever goes wrong (bad bytes, unknown call ID, a method that throws, a result that cannot
 * be serialized) is something the caller must hear about.
 */
export class ServerStub {
  constructor(readonly registry: Registry) {}

  /** Steps 4 to 7 of a call: decode, look up, run, encode. */
  async handle(request: Uint8Array): Promise<Uint8Array> {
    // Task 5: decode the call (step 4); if that throws, return an error reply made with
    // errorToWire(error). Otherwise hand the call to this.execute.
    void [request, decodeCall];
    return todo("task 5: ServerStub.handle");
  }

  /** Steps 5 to 7, for a call already decoded. */
  async execute(call: Call): Promise<Uint8Array> {
    // Task 5: find the function by call ID (step 5), `await fn(...args)` (step 6), and encode
    // { ok: true, result } or, if anything threw, { ok: false, error: errorToWire(error) }
    // (step 7). A result the serializer refuses (a Map, a function) must still produce a
    // reply: catch that too and send an RpcError("internal", ...) instead.
    void [call, encodeReply, errorToWire, RpcError];
    return todo("task 5: ServerStub.execute");
  }
}
