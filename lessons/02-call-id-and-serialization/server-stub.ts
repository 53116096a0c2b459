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
   * Steps 4 to 7 of a call: decode, look up, run, encode. Bytes that are not a call get an
   * error reply with the decoder's code ("bad_message").
   */
  async handle(request: Uint8Array): Promise<Uint8Array> {
    return todo("task 5: ServerStub.handle");
  }

  /**
   * Steps 5 to 7, for a call already decoded. An unknown call ID is "unknown_method"; what the
   * method throws travels as errorToWire describes it. A result the serializer cannot carry (a
   * Map, a function) is the server's failure, not the method's: it comes back as an error reply
   * with the code "internal", saying why.
   */
  async execute(call: Call): Promise<Uint8Array> {
    return todo("task 5: ServerStub.execute");
  }
}
