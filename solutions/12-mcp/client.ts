import { RpcError } from "../../shared/rpc-error.js";
import type { Channel } from "./channel.js";
import { LATEST_PROTOCOL_VERSION, Method, SUPPORTED_PROTOCOL_VERSIONS } from "./messages.js";
import { Peer, type PeerOptions, type RequestOptions } from "./peer.js";
import type { Implementation } from "./server.js";
import type { CallToolResult, Tool } from "./tools.js";

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
    const peer = new Peer(channel, {
      ...(options.log ? { log: options.log } : {}),
      ...(options.cancelMethod ? { cancelMethod: options.cancelMethod } : {}),
    });
    const capabilities: Record<string, object> = {};
    if (options.roots) {
      const roots = options.roots;
      capabilities.roots = { listChanged: false };
      peer.onRequest(Method.RootsList, () => ({ roots }));
    }
    if (options.elicit) {
      const elicit = options.elicit;
      capabilities.elicitation = {};
      peer.onRequest(Method.Elicit, (params) => elicit(params));
    }
    let server: InitializeResult;
    try {
      server = (await peer.request(
        Method.Initialize,
        {
          protocolVersion: options.protocolVersion ?? LATEST_PROTOCOL_VERSION,
          capabilities,
          clientInfo: options.clientInfo ?? { name: "course-client", version: "1.0.0" },
        },
        options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs },
      )) as InitializeResult;
    } catch (error) {
      peer.close();
      throw error;
    }
    if (!(SUPPORTED_PROTOCOL_VERSIONS as readonly string[]).includes(server?.protocolVersion)) {
      peer.close();
      throw new RpcError(
        "bad_message",
        `the server speaks MCP ${String(server?.protocolVersion)}; this client speaks ${SUPPORTED_PROTOCOL_VERSIONS.join(", ")}`,
      );
    }
    peer.notify(Method.Initialized);
    return new McpClient(peer, server);
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
