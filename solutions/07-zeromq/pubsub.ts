import { Pull, Push, Subscriber, XPublisher } from "zeromq";
import { deadlineSignal } from "../../shared/call-options.js";
import { RpcError } from "../../shared/rpc-error.js";
import { Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import type { CallOptions } from "../../solutions/03-raw-tcp/pending-calls.js";
import { Outbox } from "./envelope.js";
import { createEvent, decodeEvent, encodeEvent, type ZeroRpcEvent } from "./events.js";

/**
 * zerorpc's Publisher and Subscriber: a call with no reply, delivered to every subscriber.
 * Each message is one frame, the same msgpack event a client sends: [header, method, args].
 *
 * PUB/SUB drops whatever is published before a subscriber's subscription has reached the
 * publisher (the "slow joiner"). An XPUB socket is a PUB that also receives those
 * subscriptions, so this publisher can tell when someone is listening.
 */
export class ZeroRpcPublisher {
  // "allSubsUnsubs": every subscription arrives, even a second one for the same prefix, so
  // two subscribers count as two.
  readonly #socket = new XPublisher({ linger: 0, verbosity: "allSubsUnsubs" });
  #subscribers = 0;
  readonly #waiters = new Set<() => void>();
  #watching: Promise<void> = Promise.resolve();

  /** Binds, e.g. to "tcp://127.0.0.1:*", and returns the endpoint with its real port. */
  async bind(endpoint = "tcp://127.0.0.1:*"): Promise<string> {
    await this.#socket.bind(endpoint);
    this.#watching = this.#watchSubscriptions();
    return this.#socket.lastEndpoint ?? endpoint;
  }

  get subscribers(): number {
    return this.#subscribers;
  }

  /** Resolves once at least `count` subscribers are subscribed. */
  async waitForSubscribers(count = 1, { timeoutMs, signal }: CallOptions = {}): Promise<void> {
    const signals = [signal, deadlineSignal(timeoutMs)];
    const stop = AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined));
    while (this.#subscribers < count) {
      if (stop.aborted) throw RpcError.from(stop.reason);
      let wake = () => {};
      await new Promise<void>((resolve) => {
        wake = resolve;
        this.#waiters.add(wake);
        stop.addEventListener("abort", wake, { once: true });
      });
      this.#waiters.delete(wake);
      stop.removeEventListener("abort", wake);
    }
  }

  /** Sends `method(...args)` to every subscriber; a PUB socket never blocks, it drops. */
  async publish(method: string, args: unknown[] = []): Promise<void> {
    await this.#socket.send(encodeEvent(createEvent(method, args)));
  }

  async close(): Promise<void> {
    this.#socket.close();
    await this.#watching;
  }

  async #watchSubscriptions(): Promise<void> {
    // Each message is one byte, 1 = subscribe or 0 = unsubscribe, then the topic prefix.
    for await (const [message] of this.#socket) {
      if (message?.[0] === 1) this.#subscribers += 1;
      else if (message?.[0] === 0) this.#subscribers = Math.max(0, this.#subscribers - 1);
      for (const wake of this.#waiters) wake();
    }
  }
}

export interface SubscribeOptions {
  /** The publisher's endpoint to connect to (or, with `bind`, where to bind). */
  endpoint: string;
  /** Bind instead of connect, when many publishers connect to one subscriber. */
  bind?: boolean;
  /** Hears about dropped messages and failed methods: nobody else can. */
  log?: (message: string) => void;
}

export interface ZeroRpcSubscriber {
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * The receiving end of a call with no reply, shared by subscribe and pull: returns what to do
 * with each message. A message must be one frame holding an event that names a method of the
 * service (never one starting with "_") with an array of args; that method is called and
 * awaited. Anything else, and any failure of the method, is one line to `log`: the returned
 * function never throws and never replies, since nobody waits for an answer.
 */
export function oneWayHandler(
  service: object | Registry,
  log: (message: string) => void,
): (frames: Buffer[]) => Promise<void> {
  const registry = service instanceof Registry ? service : Registry.fromService(service);
  return async (frames) => {
    if (frames.length !== 1) return log(`dropped a message of ${frames.length} frames`);
    let event: ZeroRpcEvent;
    try {
      event = decodeEvent(frames[0]!);
    } catch (error) {
      return log(`dropped an event: ${(error as Error).message}`);
    }
    try {
      if (event.name.startsWith("_")) {
        throw new RpcError("unknown_method", `no method named "${event.name}"`);
      }
      if (!Array.isArray(event.args)) throw new TypeError("the args of an event must be an array");
      await registry.byName(event.name).fn(...event.args);
    } catch (error) {
      log(`${event.name} failed: ${(error as Error).message}`);
    }
  };
}

/** Calls the service's method named by each event it receives, in order, with oneWayHandler. */
export async function subscribe(
  service: object | Registry,
  { endpoint, bind = false, log = () => {} }: SubscribeOptions,
): Promise<ZeroRpcSubscriber> {
  const handle = oneWayHandler(service, log);
  const socket = new Subscriber({ linger: 0 });
  socket.subscribe(); // every topic: zerorpc does not use topics
  if (bind) await socket.bind(endpoint);
  else socket.connect(endpoint);
  const receiving = (async () => {
    for await (const frames of socket) await handle(frames);
  })();

  return {
    endpoint: bind ? (socket.lastEndpoint ?? endpoint) : endpoint,
    async close() {
      socket.close();
      await receiving;
    },
  };
}

/**
 * zerorpc's Pusher and Puller: the same one-frame event as publish, but over PUSH/PULL. Each
 * event goes to exactly one puller, round robin when there are several, and while no puller
 * is connected a push waits, queued, where a publish would be dropped.
 */
export class ZeroRpcPusher {
  readonly #socket = new Push({ linger: 0 });
  // zeromq.js allows one send() at a time, and a PUSH socket's send waits while no puller is
  // there: the Outbox (task 2) lines pushes up.
  readonly #outbox = new Outbox(this.#socket);

  /** Binds, e.g. to "tcp://127.0.0.1:*", and returns the endpoint with its real port. */
  async bind(endpoint = "tcp://127.0.0.1:*"): Promise<string> {
    await this.#socket.bind(endpoint);
    return this.#socket.lastEndpoint ?? endpoint;
  }

  /** Connects to a puller that binds; call it once per puller to share events among them. */
  connect(endpoint: string): void {
    this.#socket.connect(endpoint);
  }

  /** Resolves once ZeroMQ holds the event for a puller; close() drops what it still holds. */
  async push(method: string, args: unknown[] = []): Promise<void> {
    const frame = encodeEvent(createEvent(method, args));
    await this.#outbox.send([frame]).catch((error: unknown) => {
      if (!this.#socket.closed) throw error;
      throw new RpcError("canceled", "the pusher closed before the event left", { cause: error });
    });
  }

  /** Closes at once: a push still waiting rejects with canceled. */
  async close(): Promise<void> {
    this.#socket.close();
  }
}

export type PullOptions = SubscribeOptions;
export type ZeroRpcPuller = ZeroRpcSubscriber;

/** Calls the service's method named by each event a pusher sends it, as subscribe does. */
export async function pull(
  service: object | Registry,
  { endpoint, bind = false, log = () => {} }: PullOptions,
): Promise<ZeroRpcPuller> {
  const handle = oneWayHandler(service, log);
  const socket = new Pull({ linger: 0 });
  if (bind) await socket.bind(endpoint);
  else socket.connect(endpoint);
  const receiving = (async () => {
    for await (const frames of socket) await handle(frames);
  })();

  return {
    endpoint: bind ? (socket.lastEndpoint ?? endpoint) : endpoint,
    async close() {
      socket.close();
      await receiving;
    },
  };
}
