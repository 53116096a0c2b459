import { decode, encode } from "@msgpack/msgpack";
import { Dealer, Router } from "zeromq";
import { NotImplementedError } from "../../shared/todo.js";
import { createEvent, decodeEvent as decodeWithLesson, encodeEvent, errorArgs } from "./events.js";

/**
 * Protocol-level peers for the tests: real ZeroMQ sockets that speak zerorpc by hand, with
 * msgpack and nothing from the lesson, so they judge your code by the bytes on the wire.
 */

export type Header = Record<string, unknown>;
export type RawEvent = [header: Header, name: string, args: unknown];

const EMPTY = Buffer.alloc(0);

/** How long a test peer waits for a message before failing with a clear error. */
const RECEIVE_MS = 3_000;

/** A zerorpc client written by hand: a DEALER sending [empty, msgpack event]. */
export class RawClient {
  readonly socket = new Dealer({ linger: 0, receiveTimeout: RECEIVE_MS });

  constructor(endpoint: string) {
    this.socket.connect(endpoint);
  }

  async send(header: Header, name: unknown, args: unknown): Promise<void> {
    await this.sendFrames([EMPTY, encode([header, name, args])]);
  }

  async sendFrames(frames: (Uint8Array | string)[]): Promise<void> {
    await this.socket.send(frames);
  }

  /** The next event, checked to arrive as [empty, payload]. */
  async receive(): Promise<RawEvent> {
    return decodeEvent(await receiveOrExplain(this.socket, "the server"), 1);
  }

  /** The next event that is not a heartbeat. */
  async receiveReply(): Promise<RawEvent> {
    for (;;) {
      const event = await this.receive();
      if (event[1] === "_zpc_hb") continue;
      const [errorName, message] = Array.isArray(event[2]) ? event[2] : [];
      if (event[1] === "ERR" && errorName === "NotImplementedError") {
        // The server answered with a todo() of yours: say which one.
        throw new NotImplementedError(String(message).replace(/^not implemented yet — /, ""));
      }
      return event;
    }
  }

  close(): void {
    this.socket.close();
  }
}

/** A zerorpc server written by hand: a ROUTER that answers only when the test tells it to. */
export class RawServer {
  readonly socket = new Router({ linger: 0, receiveTimeout: RECEIVE_MS });
  endpoint = "";

  async bind(): Promise<string> {
    await this.socket.bind("tcp://127.0.0.1:*");
    this.endpoint = this.socket.lastEndpoint!;
    return this.endpoint;
  }

  /** The next event and the routing id of the client that sent it. */
  async receive(): Promise<{ identity: Buffer; event: RawEvent }> {
    const frames = await receiveOrExplain(this.socket, "the client");
    return { identity: frames[0]!, event: decodeEvent(frames, 2) };
  }

  async reply(identity: Buffer, header: Header, name: string, args: unknown): Promise<void> {
    await this.socket.send([identity, EMPTY, encode([header, name, args])]);
  }

  close(): void {
    this.socket.close();
  }
}

async function receiveOrExplain(socket: Dealer | Router, who: string): Promise<Buffer[]> {
  try {
    return await socket.receive();
  } catch (error) {
    throw new Error(`${who} sent nothing within ${RECEIVE_MS} ms`, { cause: error });
  }
}

function decodeEvent(frames: Buffer[], payloadIndex: number): RawEvent {
  if (frames.length !== payloadIndex + 1 || frames[payloadIndex - 1]!.length !== 0) {
    throw new Error(
      `expected an empty delimiter frame, then one payload frame; got ${frames.length} frame(s)`,
    );
  }
  const event = decode(frames[payloadIndex]!);
  if (!Array.isArray(event) || event.length !== 3) {
    throw new Error("expected a msgpack array [header, name, args]");
  }
  return event as RawEvent;
}

/** Tasks 4 to 7 stand on task 3: fail at once, pointing there, while it is not done. */
export function requireEvents(): void {
  decodeWithLesson(encodeEvent(createEvent("ping", [])));
  errorArgs(new Error("ready?"));
}

/** A promise the test settles by hand: lets a service method wait for the test, not a clock. */
export function gate<T = void>(): { promise: Promise<T>; open(value: T): void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}
