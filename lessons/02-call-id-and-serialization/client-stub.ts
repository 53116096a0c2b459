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

  /**
   * Steps 1 to 3, then 8 and 9, of a call. A name the registry does not know is refused with
   * "unknown_method" before anything is sent; an error reply is thrown as the RpcError it
   * describes.
   */
  async call(method: string, args: unknown[]): Promise<unknown> {
    return todo("task 5: ClientStub.call");
  }

  /** `stub.add(1, 2)`, read as a local call, made as a remote one. */
  stub<T extends object>(): Remote<T> {
    return createStub<T>((method, args) => this.call(method, args));
  }
}
