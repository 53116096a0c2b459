import net from "node:net";
import { ByteBudget, type ByteAccount } from "../../shared/byte-budget.js";
import { BatchedWriter } from "../../shared/batch-writes.js";
import { RpcError } from "../../shared/rpc-error.js";
import {
  decodeCall,
  encodeReply,
  errorToWire,
  type Call,
} from "../../solutions/02-call-id-and-serialization/messages.js";
import { Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import { ServerStub } from "../../solutions/02-call-id-and-serialization/server-stub.js";
import { DEFAULT_MAX_FRAME_BYTES, encodeFrame, FrameDecoder } from "./framing.js";

/**
 * The RPC server over raw TCP. Every client keeps one connection open and may send many calls
 * without waiting; each call runs on its own and its reply goes back, under the request ID it
 * came with, as soon as it is ready. A client that sends bytes we cannot read, sends nothing
 * for too long, or takes too long over one frame loses its own connection, and nobody else
 * notices.
 */

export interface ServerOptions {
  /** Bodies over this size close the connection: the most one connection may buffer. 16 MiB. */
  maxFrameBytes?: number;
  /** Stop reading a connection's requests while it has this many calls running. Default 1000. */
  maxInFlight?: number;
  /** Close a connection that has sent nothing and has no call running for this long. 60 s. */
  idleTimeoutMs?: number;
  /** Close a connection whose unfinished frame has not been completed within this time. 30 s. */
  frameTimeoutMs?: number;
  /**
   * Bytes of unfinished frames all connections together may hold. Default 64 MiB. Past it, the
   * connection holding the most is closed, so a few cannot take it all from the others.
   */
  maxBufferedBytes?: number;
  /**
   * Connections open at once. Default 1000. At the cap, a new connection takes the place of
   * the oldest one that never sent a byte, else of the oldest idle one; with none, it is closed.
   */
  maxConnections?: number;
  /** Where problems with a connection are reported. Default: console.error. */
  log?: (line: string) => void;
}

export interface ServeOptions extends ServerOptions {
  /** 0 (the default) lets the OS pick a free port. */
  port?: number;
  host?: string;
}

export interface RunningTcpServer {
  host: string;
  port: number;
  /** tcp://host:port, what `connect` and `npm run call` take. */
  url: string;
  /**
   * Stops accepting connections, lets calls in flight finish and send their replies, refuses
   * calls that arrive meanwhile, then closes every connection. Connections still open after
   * `graceMs` are cut.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

type Limits = Required<Omit<ServerOptions, "log" | "maxConnections">>;

/** What the connections of one server share: the stub, the limits, the log, one budget. */
interface Shared {
  stub: ServerStub;
  limits: Limits;
  log: (line: string) => void;
  /**
   * Bytes of unfinished frames, all connections together (`limits.maxBufferedBytes`): each
   * connection opens its account and keeps it up to date; past the limit, the budget drops the
   * connection that holds the most.
   */
  budget: ByteBudget;
}

/** What shutdown and the connection cap need of each connection. */
interface ServedConnection {
  socket: net.Socket;
  /** Ends the connection as soon as no call is running on it; calls arriving meanwhile are refused. */
  endWhenIdle(): void;
  /** No call running and no frame begun: closing it now loses nobody anything. */
  isIdle(): boolean;
}

const connectionsOf = new WeakMap<net.Server, Set<ServedConnection>>();

/** A net.Server serving `service` (an object of functions, or a ready Registry). */
export function createServer(service: object | Registry, options: ServerOptions = {}): net.Server {
  const shared: Shared = {
    stub: new ServerStub(service instanceof Registry ? service : Registry.fromService(service)),
    limits: {
      maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
      maxInFlight: options.maxInFlight ?? 1000,
      idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
      frameTimeoutMs: options.frameTimeoutMs ?? 30_000,
      maxBufferedBytes: options.maxBufferedBytes ?? 64 * 1024 * 1024,
    },
    log: options.log ?? console.error,
    budget: new ByteBudget(options.maxBufferedBytes ?? 64 * 1024 * 1024),
  };
  const serveConnection = connectionHandler(shared);
  const connections = new Set<ServedConnection>(); // oldest first
  // Every socket is a file descriptor: the server keeps at most this many.
  const maxConnections = options.maxConnections ?? 1000;
  // allowHalfOpen: a client may send its calls, end its side, and still read the replies.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    if (connections.size >= maxConnections && !closeOneIdle(connections)) {
      socket.destroy(); // every connection is busy: this one is refused
      return;
    }
    const connection = serveConnection(socket);
    connections.add(connection);
    socket.once("close", () => connections.delete(connection));
  });
  connectionsOf.set(server, connections);
  return server;
}

/** createServer, listening. For demos, the benchmark and `npm run call`. */
export async function serve(
  service: object | Registry,
  { port = 0, host = "127.0.0.1", ...options }: ServeOptions = {},
): Promise<RunningTcpServer> {
  const server = createServer(service, options);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    host: address.address,
    port: address.port,
    url: `tcp://${shownHost}:${address.port}`,
    close: ({ graceMs = 2_000 } = {}) => shutdown(server, graceMs),
  };
}

/**
 * Makes room for a new connection: closes the oldest that never sent a byte, else the oldest
 * idle one. Idle sockets, however many, never lock out a client that comes to call.
 */
function closeOneIdle(connections: Set<ServedConnection>): boolean {
  let victim: ServedConnection | undefined;
  for (const connection of connections) {
    if (connection.socket.bytesRead === 0) {
      victim = connection;
      break;
    }
    if (!victim && connection.isIdle()) victim = connection;
  }
  if (!victim) return false;
  connections.delete(victim); // now, not at "close": the next newcomer looks at the others
  victim.socket.destroy();
  return true;
}

async function shutdown(server: net.Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const connections = connectionsOf.get(server) ?? new Set();
  for (const connection of connections) connection.endWhenIdle();
  const late = setTimeout(() => {
    for (const connection of connections) connection.socket.destroy();
  }, graceMs);
  await closed;
  clearTimeout(late);
}

/** What to do with each new connection: read frames, run calls, write replies. */
function connectionHandler(shared: Shared): (socket: net.Socket) => ServedConnection {
  return (socket) => new Connection(socket, shared);
}

const SHUTTING_DOWN = new RpcError("unavailable", "the server is shutting down");

/** One client's connection: read frames, run calls, write replies, within the limits. */
class Connection implements ServedConnection {
  readonly #peer: string;
  readonly #decoder: FrameDecoder;
  /** Calls running for this connection. */
  #inFlight = 0;
  /** close() was called: finish what runs, refuse what comes. */
  #ending = false;
  /** The client is not reading our replies: read no more calls until it catches up. */
  #waitingForDrain = false;
  /** This connection's bytes of an unfinished frame, in the shared budget. */
  readonly #account: ByteAccount;
  /** Started when a frame is begun, cleared when it is complete. */
  #frameTimer: NodeJS.Timeout | undefined;
  readonly #batch: BatchedWriter;

  constructor(
    readonly socket: net.Socket,
    private readonly shared: Shared,
  ) {
    socket.setNoDelay(true); // a reply is one small write: send it now, not 40 ms later
    this.#batch = new BatchedWriter(socket, () => this.#onFull());
    this.#peer = `${socket.remoteAddress}:${socket.remotePort}`;
    this.#decoder = new FrameDecoder(shared.limits.maxFrameBytes);
    // When the budget overflows, it drops the connection holding the most: maybe this one.
    this.#account = shared.budget.open((reason) => this.#drop(reason));
    // An idle connection still holds a file descriptor and memory: close it after a while.
    socket.setTimeout(shared.limits.idleTimeoutMs, () => this.#onIdle());
    socket.on("data", (chunk: Buffer) => this.#onData(chunk));
    socket.on("end", () => this.#onEnd());
    socket.on("error", (error) => this.#onError(error));
    socket.once("close", () => this.#release());
  }

  isIdle(): boolean {
    return this.#inFlight === 0 && this.#decoder.bufferedBytes === 0;
  }

  /** Ends the connection as soon as no call is running on it. */
  endWhenIdle(): void {
    this.#ending = true;
    if (this.#inFlight === 0 && !this.socket.destroyed) {
      this.#batch.flush(); // replies of this tick still waiting go out before our FIN
      this.socket.end();
    }
  }

  #onData(chunk: Buffer): void {
    if (this.socket.destroyed) return;
    let frames;
    try {
      frames = this.#decoder.push(chunk);
    } catch (error) {
      return this.#drop(error); // too large: what follows is unreadable
    }
    if (!this.#withinBudget()) return;
    for (const { requestId, body } of frames) {
      let call: Call;
      try {
        call = decodeCall(body);
      } catch (error) {
        return this.#drop(error); // not a call: this peer does not speak our protocol
      }
      this.#run(requestId, call);
    }
    this.#updateFlow();
  }

  /** Runs one call, or refuses it when the server is shutting down: never runs it unheard. */
  #run(requestId: number, call: Call): void {
    this.#inFlight += 1;
    if (this.#ending) {
      return this.#reply(requestId, encodeReply({ ok: false, error: errorToWire(SHUTTING_DOWN) }));
    }
    // Not awaited: each call runs on its own, so a slow one holds up no other call, and
    // replies leave in the order they finish. execute() never rejects.
    void this.shared.stub.execute(call).then((body) => this.#reply(requestId, body));
  }

  #reply(requestId: number, body: Uint8Array): void {
    this.#inFlight -= 1;
    const { socket } = this;
    if (socket.destroyed || !socket.writable) return; // the client is gone: nobody to tell
    let frame: Uint8Array;
    try {
      frame = encodeFrame(requestId, body, this.shared.limits.maxFrameBytes);
    } catch (error) {
      frame = encodeFrame(requestId, encodeReply({ ok: false, error: errorToWire(error) }));
    }
    // Replies finishing in the same tick leave in one write (shared/batch-writes.ts).
    this.#batch.write(frame);
    if (this.#ending && this.#inFlight === 0) {
      this.#batch.flush(); // the last replies go out before our FIN
      socket.end();
    } else this.#updateFlow();
  }

  /** The client is not reading our replies: read no more calls until the socket drains. */
  #onFull(): void {
    if (this.#waitingForDrain) return;
    this.#waitingForDrain = true;
    this.socket.once("drain", () => {
      this.#waitingForDrain = false;
      this.#updateFlow();
    });
    this.#updateFlow();
  }

  /**
   * Flow control: stop reading new calls while the client does not read our replies, or
   * while it already has many calls running here. TCP then fills up and slows the client.
   */
  #updateFlow(): void {
    if (this.socket.destroyed) return;
    if (this.#waitingForDrain || this.#inFlight >= this.shared.limits.maxInFlight) {
      this.socket.pause();
    } else this.socket.resume();
  }

  /**
   * Keeps the shared budget of unfinished frames up to date, and the clock of the frame being
   * received: a client may not hold memory for ever by sending half a frame.
   */
  #withinBudget(): boolean {
    const { limits } = this.shared;
    const now = this.#decoder.bufferedBytes;
    if (!this.#account.hold(now)) return false; // dropped: it held the most of a full budget
    if (now === 0) {
      clearTimeout(this.#frameTimer);
      this.#frameTimer = undefined;
    } else {
      this.#frameTimer ??= setTimeout(() => {
        const error = new RpcError(
          "deadline_exceeded",
          `a frame was not complete within ${limits.frameTimeoutMs} ms ` +
            `(${this.#decoder.bufferedBytes} bytes received)`,
        );
        this.#drop(error);
      }, limits.frameTimeoutMs);
    }
    return true;
  }

  #onIdle(): void {
    if (this.#inFlight > 0) return; // waiting for our own calls is not idling
    this.socket.destroy(); // routine, not worth a log line
  }

  #onEnd(): void {
    const bytes = this.#decoder.bufferedBytes;
    if (bytes > 0)
      this.shared.log(`${this.#peer} closed its side in the middle of a frame (${bytes} bytes)`);
    this.endWhenIdle();
  }

  #onError(error: NodeJS.ErrnoException): void {
    // A client that vanished mid-call is routine; anything else is worth a line.
    if (error.code !== "ECONNRESET" && error.code !== "EPIPE") {
      this.shared.log(`connection from ${this.#peer} failed: ${error.message}`);
    }
  }

  #drop(reason: unknown): void {
    const error = RpcError.from(reason);
    this.shared.log(`closing the connection from ${this.#peer}: ${error.code}: ${error.message}`);
    this.socket.destroy();
  }

  /** The socket is gone: give back its share of the budget and stop its clock. */
  #release(): void {
    this.#account.release();
    clearTimeout(this.#frameTimer);
  }
}
