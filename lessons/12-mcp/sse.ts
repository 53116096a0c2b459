import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";

/**
 * Server-Sent Events, the text format of an HTTP response that stays open and carries one
 * event after another (https://html.spec.whatwg.org/multipage/server-sent-events.html):
 *
 *   id: 7-2\n            the event's id: a client that reconnects sends the last one it saw
 *   data: {"jsonrpc":…}\n one or more data lines, joined with "\n"
 *   \n                   a blank line ends the event
 *
 * A line starting with ":" is a comment (a keep-alive); "retry: ms" advises a reconnect delay.
 */

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** One event as text; each line of `data` gets its own "data:" field. */
export function encodeSseEvent({ id, event, data }: SseEvent): string {
  return todo("task 6: encodeSseEvent");
}

export const DEFAULT_MAX_EVENT_BYTES = 4 * 1024 * 1024;

/**
 * Reads events from text cut anywhere (lines end in "\n", "\r\n" or "\r"). Fields: `data`
 * (appended, joined with "\n"), `id`, `event`; comments and unknown fields are ignored; an
 * event without data is not dispatched. More than `maxEventBytes` of one event (or of one
 * unfinished line) is RpcError("too_large").
 */
export class SseDecoder {
  /** The id of the last event dispatched: what a client sends back as Last-Event-ID. */
  lastEventId: string | undefined;

  constructor(readonly maxEventBytes = DEFAULT_MAX_EVENT_BYTES) {}

  push(text: string): SseEvent[] {
    return todo("task 6: SseDecoder.push");
  }
}
