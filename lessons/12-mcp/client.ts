import { RpcError } from "../../shared/rpc-error.js";
import type { Channel } from "./channel.js";
import { LATEST_PROTOCOL_VERSION, Method, SUPPORTED_PROTOCOL_VERSIONS } from "./messages.js";
import { Peer, type PeerOptions, type RequestOptions } from "./peer.js";
import type { Implementation } from "./server.js";
import type { CallToolResult, Tool } from "./tools.js";
import { todo } from "../../shared/todo.js";

/** An MCP client: a peer that starts the handshake, calls tools and answers the server. */

export interface Root {
  uri: string;
  name?: string;
}

export interface ElicitResult {
  action: "accept" | "decline" | "cancel";
  content?: Record<string, unknown>;
}

export interface McpClientOptions extends Pick<PeerOptions, "log" | "cancelMethod"> {
  clientInfo?: Implementation;
  /** Offered to the server (capability `roots`), answered to its roots/list. */
  roots?: Root[];
  /** Offered to the server (capability `elicitation`): asks the user for input. */
  elicit?: (params: { message: string; requestedSchema?: object }) => Promise<ElicitResult>;
  /** The version asked for in `initialize`; the newest this lesson speaks by default. */
  protocolVersion?: string;
  /** A deadline for the handshake. */
  timeoutMs?: number;
}

export interface InitializeResult {
  protocolVersion: string;
  capabilities: Record<string, unknown>;
  serverInfo: Implementation;
  instructions?: string;
}

export class McpClient {
  private constructor(
    readonly peer: Peer,
    readonly server: InitializeResult,
  ) {}

  /**
   * Task 3. Opens a session on `channel`: sends `initialize` with the protocol version, the
   * client's capabilities (roots and elicitation, when their answers were given) and
   * clientInfo; refuses a server whose answer names a version this client does not speak
   * (closing the channel, RpcError("bad_message")); then sends notifications/initialized.
   * The handlers for roots/list and elicitation/create are in place before the first byte.
   */
  static async connect(channel: Channel, options: McpClientOptions = {}): Promise<McpClient> {
    return todo("task 3: McpClient.connect");
  }

  async listTools(options: RequestOptions = {}): Promise<Omit<Tool, "run">[]> {
    const { tools } = (await this.peer.request(Method.ToolsList, {}, options)) as {
      tools: Omit<Tool, "run">[];
    };
    return tools;
  }

  /** Calls a tool; a tool error comes back as a result with `isError: true`, not a rejection. */
  callTool(
    name: string,
    args: Record<string, unknown> = {},
    options: RequestOptions = {},
  ): Promise<CallToolResult> {
    return this.peer.request(
      Method.ToolsCall,
      { name, arguments: args },
      options,
    ) as Promise<CallToolResult>;
  }

  async ping(options: RequestOptions = {}): Promise<void> {
    await this.peer.request(Method.Ping, {}, options);
  }

  close(): void {
    this.peer.close();
  }
}
