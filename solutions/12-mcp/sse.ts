import { RpcError } from "../../shared/rpc-error.js";

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
  let text = "";
  if (id !== undefined) text += `id: ${id}\n`;
  if (event !== undefined) text += `event: ${event}\n`;
  for (const line of data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
  return `${text}\n`;
}

export const DEFAULT_MAX_EVENT_BYTES = 4 * 1024 * 1024;

/**
 * Reads events from text cut anywhere (lines end in "\n", "\r\n" or "\r"). Fields: `data`
 * (appended, joined with "\n"), `id`, `event`; comments and unknown fields are ignored; an
 * event without data is not dispatched. More than `maxEventBytes` of one event (or of one
 * unfinished line) is RpcError("too_large").
 */
export class SseDecoder {
  #line = "";
  #data: string[] = [];
  #size = 0;
  #id: string | undefined;
  #event: string | undefined;
  /** A "\r" ended the last chunk: a "\n" starting the next one belongs to it. */
  #afterCr = false;
  /** The id of the last event dispatched: what a client sends back as Last-Event-ID. */
  lastEventId: string | undefined;

  constructor(readonly maxEventBytes = DEFAULT_MAX_EVENT_BYTES) {}

  push(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    let start = 0;
    if (this.#afterCr && text.startsWith("\n")) start = 1;
    this.#afterCr = false;
    const ends = /\r\n|\r|\n/g;
    ends.lastIndex = start;
    for (let match = ends.exec(text); match; match = ends.exec(text)) {
      if (match[0] === "\r" && match.index === text.length - 1) this.#afterCr = true;
      const line = this.#line + text.slice(start, match.index);
      this.#line = "";
      start = match.index + match[0].length;
      this.#field(line, events);
    }
    this.#line += text.slice(start);
    if (this.#line.length + this.#size > this.maxEventBytes) {
      throw new RpcError("too_large", `an event longer than ${this.maxEventBytes} bytes`);
    }
    return events;
  }

  #field(line: string, events: SseEvent[]): void {
    if (line === "") {
      if (this.#data.length > 0) {
        const event: SseEvent = { data: this.#data.join("\n") };
        if (this.#id !== undefined) event.id = this.#id;
        if (this.#event !== undefined) event.event = this.#event;
        events.push(event);
      }
      if (this.#id !== undefined) this.lastEventId = this.#id;
      this.#data = [];
      this.#size = 0;
      this.#event = undefined;
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const name = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (name === "data") {
      this.#size += value.length + 1;
      if (this.#size > this.maxEventBytes) {
        throw new RpcError("too_large", `an event longer than ${this.maxEventBytes} bytes`);
      }
      this.#data.push(value);
    } else if (name === "id" && !value.includes("\0")) {
      this.#id = value;
    } else if (name === "event") {
      this.#event = value;
    }
  }
}
