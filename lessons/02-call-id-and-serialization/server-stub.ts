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

  /**
   * Task 5. Steps 4 to 7 of a call: decode, look up, run, encode. Bytes that do not decode as
   * a call still get a reply: the error, as `errorToWire` describes it.
   */
  async handle(_request: Uint8Array): Promise<Uint8Array> {
    return todo("task 5: ServerStub.handle");
  }

  /**
   * Task 5. Steps 5 to 7, for a call already decoded: the reply carries the result, or the
   * error of whatever threw (an unknown call ID, the method itself). A result the serializer
   * refuses (a Map, a function) must still produce a reply: RpcError "internal".
   */
  async execute(_call: Call): Promise<Uint8Array> {
    return todo("task 5: ServerStub.execute");
  }
}
