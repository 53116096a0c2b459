import { Router } from "zeromq";
import { RpcError } from "../../shared/rpc-error.js";
import { Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import { joinEnvelope, Outbox, splitEnvelope } from "./envelope.js";
import {
  createEvent,
  decodeEvent,
  encodeEvent,
  errorArgs,
  EVENT,
  messageIdKey,
  type MessageId,
  type ZeroRpcEvent,
} from "./events.js";
import { Heartbeats } from "./heartbeat.js";

/**
 * A zerorpc server: one ROUTER socket, many clients, many calls in flight per client.
 * Every call is a channel named by its client's routing id and its first event's message_id
 * (ids are unique per client only); the channel lives until the reply (or the last
 * STREAM_DONE) is sent, heartbeating while it waits.
 */

export interface ServeOptions {
  /** Where to bind; "tcp://127.0.0.1:*" lets the OS pick a port. */
  endpoint?: string;
  /** zerorpc's default is 5000 ms; a remote silent for two intervals is lost. */
  heartbeatMs?: number;
  /** What `_zerorpc_inspect` and `_zerorpc_name` report. */
  name?: string;
  /** ZeroMQ disconnects a peer that sends a bigger message. */
  maxMessageBytes?: number;
  /** Hears about everything the server ignored or gave up on, for logging. */
  log?: (message: string) => void;
}

export interface ZeroRpcServer {
  /** The endpoint it is bound to, with the real port, e.g. "tcp://127.0.0.1:41234". */
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function serveZeroRpc(
  service: object | Registry,
  options: ServeOptions = {},
): Promise<ZeroRpcServer> {
  const server = new Server(service, options);
  await server.bind(options.endpoint ?? "tcp://127.0.0.1:*");
  return server;
}

/** The part of a call the server keeps: where to answer, and how much it may still send. */
class Channel {
  // Either side may send one event before the other grants more with _zpc_more.
  #credit = 1;
  #wake: (() => void) | undefined;
  #lost = false;

  constructor(
    readonly key: string,
    readonly route: Buffer[],
    readonly id: MessageId,
  ) {}

  get lost(): boolean {
    return this.#lost;
  }

  grant(slots: number): void {
    this.#credit += slots;
    this.#wake?.();
  }

  lose(): void {
    this.#lost = true;
    this.#wake?.();
  }

  /** Waits until one more event may be sent; false when the client is gone. */
  async takeCredit(): Promise<boolean> {
    while (this.#credit === 0 && !this.#lost) {
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
    if (this.#lost) return false;
    this.#credit -= 1;
    return true;
  }
}

class Server implements ZeroRpcServer {
  readonly #router: Router;
  readonly #outbox: Outbox;
  readonly #registry: Registry;
  readonly #builtins: Map<string, (...args: unknown[]) => unknown>;
  readonly #channels = new Map<string, Channel>();
  readonly #heartbeats: Heartbeats<string>;
  readonly #log: (message: string) => void;
  #receiving: Promise<void> = Promise.resolve();
  endpoint = "";

  constructor(service: object | Registry, options: ServeOptions) {
    this.#registry = service instanceof Registry ? service : Registry.fromService(service);
    this.#builtins = builtinMethods(service, this.#registry, options.name);
    this.#log = options.log ?? (() => {});
    this.#router = new Router({ linger: 0, maxMessageSize: options.maxMessageBytes ?? 1 << 20 });
    this.#outbox = new Outbox(this.#router);
    this.#heartbeats = new Heartbeats(options.heartbeatMs ?? 5_000, {
      beat: (key) => {
        const channel = this.#channels.get(key);
        if (channel) void this.#send(channel, EVENT.HEARTBEAT, [0]);
      },
      lost: (key, silentMs) => {
        this.#channels.get(key)?.lose();
        this.#reportLost(silentMs);
      },
    });
  }

  // The first lost call is logged at once; the rest of that second in one more line, however
  // many calls a vanished client left behind (5,000 calls must not make 5,000 lines).
  #lostSinceReport = 0;
  #lostWindow: NodeJS.Timeout | undefined;
  #reportLost(silentMs: number): void {
    if (this.#lostWindow) {
      this.#lostSinceReport += 1;
      return;
    }
    this.#log(`lost remote: no heartbeat for ${Math.round(silentMs)} ms, call abandoned`);
    this.#lostWindow = setTimeout(() => {
      if (this.#lostSinceReport > 0) {
        this.#log(`lost remote: ${this.#lostSinceReport} more call(s) abandoned`);
      }
      this.#lostSinceReport = 0;
      this.#lostWindow = undefined;
    }, 1_000);
    this.#lostWindow.unref();
  }

  async bind(endpoint: string): Promise<void> {
    await this.#router.bind(endpoint);
    this.endpoint = this.#router.lastEndpoint ?? endpoint;
    this.#receiving = this.#receive();
  }

  async close(): Promise<void> {
    this.#heartbeats.close();
    for (const channel of this.#channels.values()) channel.lose();
    this.#router.close();
    await this.#receiving;
  }

  async #receive(): Promise<void> {
    for await (const frames of this.#router) {
      const envelope = splitEnvelope(frames);
      if (!envelope) {
        this.#log(`dropped a message of ${frames.length} frame(s): no [id, empty, payload]`);
        continue;
      }
      let event: ZeroRpcEvent;
      try {
        event = decodeEvent(envelope.body);
      } catch (error) {
        this.#log(`dropped an event: ${(error as Error).message}`);
        continue;
      }
      try {
        this.#dispatch(envelope.route, event);
      } catch (error) {
        // A bug while handling one event must not stop the server for everyone else.
        this.#log(`failed to handle ${event.name}: ${(error as Error).message}`);
        if (event.header.response_to === undefined) {
          const reply = createEvent(EVENT.ERR, errorArgs(error), event.header.message_id);
          void this.#outbox.send(joinEnvelope(envelope.route, encodeEvent(reply))).catch(() => {});
        }
      }
    }
  }

  #dispatch(route: Buffer[], event: ZeroRpcEvent): void {
    // Message ids are unique per client only, so a channel is named by both.
    const peer = route.map((id) => id.toString("hex")).join(".");
    const responseTo = event.header.response_to;
    if (responseTo !== undefined) {
      const channel = this.#channels.get(`${peer}|${messageIdKey(responseTo)}`);
      if (!channel) return this.#log(`dropped ${event.name}: its call is not open`);
      this.#heartbeats.heard(channel.key);
      if (event.name === EVENT.MORE) {
        const slots: unknown = Array.isArray(event.args) ? event.args[0] : undefined;
        if (typeof slots === "number" && Number.isSafeInteger(slots) && slots >= 0) {
          channel.grant(slots);
        } else {
          this.#log("dropped _zpc_more: its args must be [a count of slots]");
        }
      } else if (event.name !== EVENT.HEARTBEAT) {
        this.#log(`dropped ${event.name}: a client sends only _zpc_hb and _zpc_more on a call`);
      }
      return;
    }
    if (event.name.startsWith("_zpc_")) return this.#log(`dropped ${event.name} outside a call`);

    const key = `${peer}|${messageIdKey(event.header.message_id)}`;
    if (this.#channels.has(key)) return this.#log("dropped a call that reused an open message_id");
    const started = this.#startCall(event);
    if (started.done) return this.#answerAtOnce(route, event, started.result);
    const channel = new Channel(key, route, event.header.message_id);
    this.#channels.set(key, channel);
    this.#heartbeats.watch(key);
    void this.#answer(channel, event, started).finally(() => {
      this.#channels.delete(key);
      this.#heartbeats.forget(key);
    });
  }

  /**
   * A speed-up, not the protocol: runs the method at once, and tells whether it is over
   * already, with a plain value or a throw. Such a call is answered in the same turn as its
   * request (#answerAtOnce), with no channel, heartbeat or promise turns: nothing can happen
   * to a call that is over. A promise, a stream, or a name for #invoke goes the usual way.
   */
  #startCall(request: ZeroRpcEvent): { done: boolean; result?: { ok: boolean; value: unknown } } {
    const { name, args } = request;
    if (!Array.isArray(args) || name.startsWith("_") || !this.#registry.has(name)) {
      return { done: false };
    }
    let value: unknown;
    try {
      value = this.#registry.byName(name).fn(...args);
    } catch (error) {
      return { done: true, result: { ok: false, value: error } };
    }
    if (isStreamable(value) || value instanceof Promise) {
      return { done: false, result: { ok: true, value } };
    }
    return { done: true, result: { ok: true, value } };
  }

  #answerAtOnce(route: Buffer[], request: ZeroRpcEvent, result?: { ok: boolean; value: unknown }) {
    const reply = result?.ok
      ? createEvent(EVENT.OK, [result.value], request.header.message_id)
      : createEvent(EVENT.ERR, errorArgs(result?.value), request.header.message_id);
    void this.#outbox
      .send(joinEnvelope(route, encodeEvent(reply)))
      .catch((error: unknown) =>
        this.#log(`could not send ${reply.name}: ${(error as Error).message}`),
      );
  }

  /** Runs the method and sends OK, ERR, or a STREAM of items ended by STREAM_DONE. */
  async #answer(
    channel: Channel,
    request: ZeroRpcEvent,
    started: { result?: { ok: boolean; value: unknown } } = {},
  ): Promise<void> {
    try {
      // A method #startCall began already is not run twice: its promise or stream is used.
      const result = started.result
        ? await started.result.value
        : await this.#invoke(request.name, request.args);
      if (isStreamable(result)) await this.#stream(channel, result);
      else await this.#emit(channel, EVENT.OK, [result]);
    } catch (error) {
      await this.#emit(channel, EVENT.ERR, errorArgs(error));
    }
  }

  /**
   * Room first, then the next item: a generator is read only as fast as the client grants
   * slots with _zpc_more. That is the backpressure. If the client is lost, `return()` ends
   * the generator, so its `finally` blocks run.
   */
  async #stream(channel: Channel, items: AsyncIterable<unknown> | Iterable<unknown>) {
    const iterator =
      Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
    let finished = false;
    try {
      while (await channel.takeCredit()) {
        const next = await iterator.next();
        finished = next.done === true;
        await this.#send(
          channel,
          finished ? EVENT.STREAM_DONE : EVENT.STREAM,
          finished ? null : next.value,
        );
        if (finished) return;
      }
    } catch (error) {
      finished = true; // a generator that threw is over already
      throw error;
    } finally {
      if (!finished) await iterator.return?.();
    }
  }

  async #invoke(name: string, args: unknown): Promise<unknown> {
    if (!Array.isArray(args)) {
      throw new TypeError(`the args of a call must be an array, got ${typeof args}`);
    }
    const builtin = this.#builtins.get(name);
    if (builtin) return builtin(...args);
    // zerorpc hides names that start with "_" (this also covers "__proto__").
    if (name.startsWith("_")) throw new RpcError("unknown_method", `no method named "${name}"`);
    return this.#registry.byName(name).fn(...args);
  }

  /** Sends a reply event once the client has room for it; false when the client is gone. */
  async #emit(channel: Channel, name: string, args: unknown): Promise<boolean> {
    if (!(await channel.takeCredit())) return false;
    await this.#send(channel, name, args);
    return true;
  }

  async #send(channel: Channel, name: string, args: unknown): Promise<void> {
    const event = createEvent(name, args, channel.id);
    try {
      await this.#outbox.send(joinEnvelope(channel.route, encodeEvent(event)));
    } catch (error) {
      this.#log(`could not send ${name}: ${(error as Error).message}`);
    }
  }
}

/** A generator (sync or async) returned by a method streams; arrays and strings do not. */
function isStreamable(value: unknown): value is AsyncIterable<unknown> | Iterable<unknown> {
  if (value === null || typeof value !== "object") return false;
  if (typeof (value as { next?: unknown }).next !== "function") return false;
  return Symbol.asyncIterator in value || Symbol.iterator in value;
}

/** The methods every zerorpc server answers besides the service's own. */
function builtinMethods(
  service: object | Registry,
  registry: Registry,
  name = service instanceof Registry ? "Registry" : service.constructor?.name || "Service",
): Map<string, (...args: unknown[]) => unknown> {
  const visible = () => registry.names().filter((method) => !method.startsWith("_"));
  const describe = (method: string) => {
    const original: unknown =
      service instanceof Registry ? undefined : (service as Record<string, unknown>)[method];
    const fn = typeof original === "function" ? original : registry.byName(method).fn;
    return { args: parameterNames(fn).map((arg) => ({ name: arg })), doc: null };
  };
  return new Map<string, (...args: unknown[]) => unknown>([
    [
      EVENT.INSPECT,
      () => ({ name, methods: Object.fromEntries(visible().map((m) => [m, describe(m)])) }),
    ],
    ["_zerorpc_list", () => visible()],
    ["_zerorpc_name", () => name],
    ["_zerorpc_ping", () => ["pong", name]],
    // What `zerorpc --help`-style tools ask: a method's docstring (JavaScript has none: nil),
    // and its argument spec in the shape of Python's getargspec: [names, varargs, kw, defaults].
    ["_zerorpc_help", (method) => (describe(knownMethod(method)), null)],
    [
      "_zerorpc_args",
      (method) => [describe(knownMethod(method)).args.map((a) => a.name), null, null, null],
    ],
  ]);

  function knownMethod(method: unknown): string {
    if (typeof method !== "string" || !visible().includes(method)) {
      throw new RpcError("unknown_method", String(typeof method === "string" ? method : "?"));
    }
    return method;
  }
}

/** "add(a, b) {...}" → ["a", "b"]: good enough for inspection; a bound function gives []. */
function parameterNames(fn: Function): string[] {
  const list = /^[^(]*\(([^)]*)\)/.exec(fn.toString())?.[1] ?? "";
  return list
    .split(",")
    .map((param) =>
      param
        .replace(/=[\s\S]*$/, "")
        .replace(/^\s*\.\.\./, "")
        .trim(),
    )
    .filter((param) => /^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(param));
}
