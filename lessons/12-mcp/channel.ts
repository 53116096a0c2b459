import type { Readable, Writable } from "node:stream";
import type { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
import type { Framing } from "./framing.js";
import type { Id, Message } from "./messages.js";

/**
 * What a peer needs from a transport: send one message, hear each message that arrives, and
 * learn when the other side is gone. stdio, a socket and Streamable HTTP all fit it.
 */
export interface Channel {
  /**
   * Sends one message. `relatedTo` names the incoming request it belongs to (its reply, or a
   * progress notification or a request back while it runs): HTTP sends it on that request's
   * stream; a byte stream ignores it.
   */
  send(message: Message, options?: { relatedTo?: Id }): void;
  /** Starts delivery. Each arriving value is parsed JSON, or the RpcError that replaced it. */
  start(receiver: Receiver): void;
  /** Closes the transport; `onClose` of the receiver runs once. */
  close(): void;
}

export interface Receiver {
  onMessage(value: unknown): void;
  /** A message that could not be read: not JSON (bad_message) or too long (too_large). */
  onBadMessage(error: RpcError): void;
  onClose(reason?: RpcError): void;
}

export interface StreamChannelOptions {
  maxMessageBytes?: number;
}

/**
 * A channel over a byte stream in each direction: a child's stdout and stdin, our own stdin
 * and stdout, or a socket twice. Each message is framed with `framing` and written once.
 * What arrives is decoded (at most `maxMessageBytes` per message) into frames; each frame is parsed as JSON and handed to the
 * receiver, or handed over as RpcError("bad_message") when it is not JSON, so the peer can
 * answer -32700. A frame the decoder refused (too_large) goes to `onBadMessage` as it is. When
 * the decoder throws, or either stream ends or fails, the channel closes: `onClose` runs once,
 * with an RpcError("unavailable") when the input ended in the middle of a message.
 */
export function streamChannel(
  _input: Readable,
  _output: Writable,
  _framing: Framing,
  _options: StreamChannelOptions = {},
): Channel {
  return todo("task 1: streamChannel");
}
