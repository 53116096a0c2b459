import { ErrorCode, protocolError } from "../../solutions/05-json-rpc/protocol.js";
import { RpcError } from "../../shared/rpc-error.js";
import type { Channel } from "./channel.js";
import {
  LATEST_PROTOCOL_VERSION,
  Method,
  PeerErrorCode,
  SUPPORTED_PROTOCOL_VERSIONS,
  type ErrorObject,
} from "./messages.js";
import { Peer } from "./peer.js";
import { callTool, listTools, type Tool } from "./tools.js";
import { todo } from "../../shared/todo.js";

/** An MCP server: a peer that knows the handshake and offers tools. */

export interface Implementation {
  name: string;
  version: string;
}

export interface McpServerOptions {
  tools?: Tool[];
  serverInfo?: Implementation;
  instructions?: string;
  log?: (line: string) => void;
  /** Requests that may run at once (the peer's `maxRunning`). */
  maxRunning?: number;
}

/**
 * The protocol version a server answers `initialize` with: the client's own when this server
 * speaks it, otherwise the newest this server speaks (the client then decides whether it can
 * go on, or disconnects).
 */
export function negotiateVersion(requested: unknown): string {
  return todo("task 3: negotiateVersion");
}

export class McpServer {
  readonly peer: Peer;
  readonly #tools: Map<string, Tool>;
  readonly #options: McpServerOptions;
  /** "new" until initialize is answered; "ready" once the client said notifications/initialized. */
  #state: "new" | "initialized" | "ready" = "new";
  #clientCapabilities: Record<string, unknown> = {};
  #clientInfo: Implementation | undefined;

  constructor(channel: Channel, options: McpServerOptions = {}) {
    this.#options = options;
    this.#tools = new Map((options.tools ?? []).map((tool) => [tool.name, tool]));
    this.peer = new Peer(channel, {
      admit: (method) => this.#admit(method),
      ...(options.log ? { log: options.log } : {}),
      ...(options.maxRunning ? { maxRunning: options.maxRunning } : {}),
    });
    this.peer
      .onRequest(Method.Initialize, (params) => this.#initialize(params))
      .onRequest(Method.Ping, () => ({}))
      .onRequest(Method.ToolsList, () => listTools(this.#tools.values()))
      .onRequest(Method.ToolsCall, (params, context) => callTool(this.#tools, params, context))
      .onNotification(Method.Initialized, () => {
        if (this.#state === "initialized") this.#state = "ready";
      });
  }

  /** What the client said it can do in `initialize`, e.g. `{ roots: {}, elicitation: {} }`. */
  get clientCapabilities(): Record<string, unknown> {
    return this.#clientCapabilities;
  }

  get clientInfo(): Implementation | undefined {
    return this.#clientInfo;
  }

  /** True once the client has sent notifications/initialized. */
  get ready(): boolean {
    return this.#state === "ready";
  }

  close(): void {
    this.peer.close();
  }

  /**
   * Task 3. Which requests may run now. Before `initialize` has been answered only
   * `initialize` and `ping` may: anything else gets ServerNotInitialized (-32002, LSP's code;
   * MCP's specification says a client must not send it). A second `initialize` is an
   * Invalid Request (-32600): a session is initialized once.
   */
  #admit(method: string): ErrorObject | undefined {
    return todo("task 3: McpServer.#admit");
  }

  /**
   * Task 3. Answers `initialize { protocolVersion, capabilities, clientInfo }`: keeps what the
   * client can do, and answers with the negotiated version, this server's capabilities (it
   * offers tools) and serverInfo, plus instructions when given. Params that are not of that
   * shape are refused with RpcError("invalid_argument") (-32602), and the server stays new.
   */
  #initialize(params: Record<string, unknown>): object {
    return todo("task 3: McpServer.#initialize");
  }
}
