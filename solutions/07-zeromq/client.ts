import { Dealer } from "zeromq";
import { nonStringMapKey } from "../../shared/msgpack.js";
import { RpcError } from "../../shared/rpc-error.js";
import { createStub, type Remote } from "../../solutions/02-call-id-and-serialization/stub.js";
import { PendingCalls, type CallOptions } from "../../solutions/03-raw-tcp/pending-calls.js";
import { Outbox } from "./envelope.js";
import {
  createEvent,
  decodeEvent,
  encodeEvent,
  errorFromArgs,
  EVENT,
  type ZeroRpcEvent,
} from "./events.js";
import { Heartbeats } from "./heartbeat.js";

/**
 * A zerorpc client: one DEALER socket, any number of calls in flight. Each call is a channel
 * named by its request's message_id; replies find their call by `response_to`.
 */

export interface ClientOptions {
  /** Must match the server's: a server silent for two intervals is lost. zerorpc: 5000 ms. */
  heartbeatMs?: number;
  /** Deadline for the first reply of a call, unless the call sets its own. zerorpc: 30 s. */
  timeoutMs?: number;
  /** How many stream items may wait unread before the server is asked to pause. */
  streamBuffer?: number;
  /**
   * "strings" (the default) refuses a call whose arguments hold a Map with a key that is not a
   * string: zerorpc-python reads with msgpack's strict_map_key=True and would drop the whole
   * request, leaving the call to time out. "any" sends such keys, for peers that read them.
   */
  mapKeys?: "strings" | "any";
}

export interface Inspection {
  name: string;
  methods: Record<string, { args: { name: string }[]; doc: string | null }>;
}

const EMPTY = Buffer.alloc(0);

export class ZeroRpcClient {
  readonly #dealer = new Dealer({ linger: 0 });
  readonly #outbox = new Outbox(this.#dealer);
  readonly #pending = new PendingCalls<string>();
  /** Open calls by message_id; a call that answered STREAM keeps its stream here. */
  readonly #channels = new Map<string, { stream?: IncomingStream }>();
  readonly #heartbeats: Heartbeats<string>;
  readonly #timeoutMs: number;
  readonly #streamBuffer: number;
  readonly #anyMapKeys: boolean;
  readonly #receiving: Promise<void>;

  constructor(options: ClientOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#streamBuffer = options.streamBuffer ?? 100;
    this.#anyMapKeys = options.mapKeys === "any";
    this.#heartbeats = new Heartbeats(options.heartbeatMs ?? 5_000, {
      beat: (id) => this.#send(createEvent(EVENT.HEARTBEAT, [0], id)),
      lost: (id, silentMs) => {
        const error = new RpcError(
          "unavailable",
          `lost remote: no heartbeat from the server for ${Math.round(silentMs)} ms`,
        );
        this.#channels.get(id)?.stream?.fail(error);
        this.#channels.delete(id);
        this.#pending.reject(id, error);
      },
    });
    this.#receiving = this.#receive();
  }

  /** Connects to a server; ZeroMQ connects in the background and reconnects by itself. */
  connect(endpoint: string): this {
    this.#dealer.connect(endpoint);
    return this;
  }

  static connect(endpoint: string, options: ClientOptions = {}): ZeroRpcClient {
    return new ZeroRpcClient(options).connect(endpoint);
  }

  /**
   * Calls a method. Resolves with its result, or, when the server answers with a stream
   * (like zerorpc-python's client, it tells by the first reply), with an AsyncIterable.
   * After close(), a call fails with RpcError "unavailable" and sends nothing.
   */
  async call(method: string, args: unknown[] = [], options: CallOptions = {}): Promise<unknown> {
    if (this.#dealer.closed) throw new RpcError("unavailable", "the client is closed");
    const request = createEvent(method, args);
    const id = request.header.message_id as string;
    this.#channels.set(id, {});
    this.#heartbeats.watch(id);
    const { timeoutMs = this.#timeoutMs, signal } = options;
    const reply = this.#pending.wait(id, { timeoutMs, signal });
    this.#send(request, id);
    let first: unknown;
    try {
      first = await reply;
    } catch (error) {
      this.#finish(id);
      throw error;
    }
    if (first instanceof IncomingStream) {
      signal?.addEventListener("abort", () => first.fail(RpcError.from(signal.reason)), {
        once: true,
      });
      return first;
    }
    const event = first as ZeroRpcEvent;
    if (event.name === EVENT.OK && Array.isArray(event.args)) return event.args[0];
    if (event.name === EVENT.ERR) throw errorFromArgs(event.args);
    throw new RpcError("bad_message", `expected OK, ERR or STREAM, got ${event.name}`);
  }

  /** Calls a streaming method; the items arrive as the server sends them, with backpressure. */
  async *stream(method: string, args: unknown[] = [], options: CallOptions = {}) {
    const reply = await this.call(method, args, options);
    if (!(reply instanceof IncomingStream)) {
      throw new RpcError("invalid_argument", `${method} answered with one value, not a stream`);
    }
    yield* reply;
  }

  /** What `_zerorpc_inspect` says: the server's name and its methods with their arguments. */
  inspect(options: CallOptions = {}): Promise<Inspection> {
    return this.call(EVENT.INSPECT, [], options) as Promise<Inspection>;
  }

  /** `client.stub<Calculator>().add(1, 2)` reads like a local call. */
  stub<T extends object>(): Remote<T> {
    return createStub<T>((method, args) => this.call(method, args));
  }

  async close(): Promise<void> {
    const error = new RpcError("unavailable", "the client was closed");
    for (const channel of this.#channels.values()) channel.stream?.fail(error);
    this.#channels.clear();
    this.#heartbeats.close();
    this.#pending.rejectAll(error);
    this.#dealer.close();
    await this.#receiving;
  }

  #send(event: ZeroRpcEvent, failing?: string): void {
    let body: Uint8Array;
    try {
      if (!this.#anyMapKeys) refuseNonStringMapKeys(event.args);
      body = encodeEvent(event);
    } catch (error) {
      // Nothing went out: the call fails now, with the reason, instead of timing out.
      if (failing !== undefined) this.#pending.reject(failing, RpcError.from(error));
      return;
    }
    // A DEALER adds no routing id; the empty frame is the delimiter zerorpc expects.
    this.#outbox.send([EMPTY, body]).catch((reason: unknown) => {
      if (failing !== undefined) this.#pending.reject(failing, RpcError.from(reason));
    });
  }

  /** The call is over: stop heartbeating it and forget it. */
  #finish(id: string): void {
    this.#channels.delete(id);
    this.#heartbeats.forget(id);
  }

  async #receive(): Promise<void> {
    for await (const frames of this.#dealer) {
      if (frames.length !== 2 || frames[0]!.length !== 0) continue; // not [empty, payload]
      let event: ZeroRpcEvent;
      try {
        event = decodeEvent(frames[1]!);
      } catch {
        continue; // a server that speaks garbage cannot be answered; the deadline will tell
      }
      try {
        this.#route(event);
      } catch (error) {
        // A reply we cannot handle is a bug: fail the calls loudly rather than let them hang.
        this.#pending.rejectAll(RpcError.from(error));
      }
    }
  }

  /** Hands a reply to its call: the first one settles call(), later ones feed its stream. */
  #route(event: ZeroRpcEvent): void {
    const id = event.header.response_to;
    const channel = typeof id === "string" ? this.#channels.get(id) : undefined;
    if (!channel || typeof id !== "string") return; // a late reply to a finished call
    this.#heartbeats.heard(id);
    if (event.name === EVENT.HEARTBEAT || event.name === EVENT.MORE) return;
    if (channel.stream) return channel.stream.push(event);
    // The first reply says what kind of call this is. STREAM_DONE first: an empty stream.
    if (event.name === EVENT.STREAM || event.name === EVENT.STREAM_DONE) {
      channel.stream = new IncomingStream(this.#streamBuffer, {
        grant: (slots) => this.#send(createEvent(EVENT.MORE, [slots], id)),
        finish: () => this.#finish(id),
      });
      channel.stream.push(event);
      this.#pending.resolve(id, channel.stream);
    } else {
      this.#finish(id);
      this.#pending.resolve(id, event);
    }
  }
}

/**
 * A streamed reply, read with `for await`. The server may send one event, then as many as
 * we grant with _zpc_more: we grant room for `capacity` items whenever fewer than half of
 * them are left, and only when the reader asks for more. A slow reader slows the server.
 */
class IncomingStream implements AsyncIterable<unknown> {
  readonly #events: ZeroRpcEvent[] = [];
  #failure: RpcError | undefined;
  #wake: (() => void) | undefined;
  #granted = 1; // the protocol lets the server send its first event unasked
  #taken = 0;
  #ended = false; // STREAM_DONE or ERR has arrived

  constructor(
    private readonly capacity: number,
    private readonly peer: { grant(slots: number): void; finish(): void },
  ) {}

  push(event: ZeroRpcEvent): void {
    if (event.name !== EVENT.STREAM) this.#ended = true;
    this.#events.push(event);
    this.#wake?.();
  }

  fail(error: RpcError): void {
    this.#failure ??= error;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<unknown, void, undefined> {
    try {
      for (;;) {
        const room = this.#granted - this.#taken;
        if (!this.#ended && room < this.capacity / 2) {
          this.peer.grant(this.capacity - room);
          this.#granted = this.#taken + this.capacity;
        }
        const event = await this.#next();
        this.#taken += 1;
        if (event.name === EVENT.STREAM) yield event.args;
        else if (event.name === EVENT.STREAM_DONE) return;
        else if (event.name === EVENT.ERR) throw errorFromArgs(event.args);
        else throw new RpcError("bad_message", `unexpected ${event.name} in a stream`);
      }
    } finally {
      // Done, failed, or the reader stopped early: heartbeats stop, and the server, hearing
      // nothing more on this channel, gives up on it after two intervals.
      this.peer.finish();
    }
  }

  async #next(): Promise<ZeroRpcEvent> {
    while (this.#events.length === 0) {
      if (this.#failure) throw this.#failure;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
    return this.#events.shift()!;
  }
}

/** See ClientOptions.mapKeys: a Map key Python's msgpack would refuse is refused here first. */
function refuseNonStringMapKeys(args: unknown): void {
  const found = nonStringMapKey(args);
  if (!found) return;
  const key = typeof found.key === "bigint" ? `${found.key}n` : String(found.key);
  throw new RpcError(
    "invalid_argument",
    `a Map key ${key} (${typeof found.key}) is not a string: zerorpc-python reads with ` +
      `msgpack's strict_map_key=True and would drop the whole call. Use string keys, or ` +
      `ClientOptions.mapKeys "any" for a peer that reads other keys`,
  );
}
