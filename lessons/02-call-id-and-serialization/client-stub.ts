import { todo } from "../../shared/todo.js";
import { decodeReply, encodeCall, wireToError } from "./messages.js";
import type { Registry } from "./registry.js";
import { createStub, type Remote } from "./stub.js";

/** Carries the bytes of a call to a server stub and brings the reply's bytes back. */
export type Send = (request: Uint8Array) => Promise<Uint8Array>;

/**
 * The client stub: turns a method name and arguments into the bytes of a call, hands them to
 * the transport, and turns the reply's bytes back into a result or a thrown RpcError.
 */
export class ClientStub {
  constructor(
    readonly registry: Registry,
    readonly send: Send,
  ) {}

  /** Steps 1 to 3, then 8 and 9, of a call. */
  async call(method: string, args: unknown[]): Promise<unknown> {
    // Task 5: step 1, look the name up in this.registry to get its call ID; step 2, encode
    // the call; step 3, `await this.send(bytes)`; step 8, decode the reply; step 9, return
    // its result, or throw wireToError(reply.error).
    void [method, args, decodeReply, encodeCall, wireToError];
    return todo("task 5: ClientStub.call");
  }

  /** `stub.add(1, 2)`, read as a local call, made as a remote one. */
  stub<T extends object>(): Remote<T> {
    return createStub<T>((method, args) => this.call(method, args));
  }
}
