import { rawDecoder } from "../wire/raw.js";
import type { Direction } from "../wire/message.js";
import {
  CALCULATOR_CALLS,
  expectEqual,
  expectThat,
  show,
  StageFailure,
  type LessonStages,
  type StageContext,
  type StdioLink,
} from "./stage.js";

/**
 * MCP (modelcontextprotocol.io/specification) over stdio: JSON-RPC 2.0 messages, one per line,
 * on the server's stdin and stdout. The client opens with initialize, then
 * notifications/initialized; the server offers tools (tools/list, tools/call); either side may
 * send requests, and each answers the other's.
 */
const PROTOCOL_VERSION = "2025-06-18";
const REPLY_MS = 10_000;

interface Message {
  jsonrpc?: string;
  id?: string | number | null;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
}

/** The tester's side of the conversation: one per server process, shared by the stages. */
class McpPeer {
  #next = 1;
  readonly #waiting = new Map<string, (message: Message) => void>();
  readonly serverRequests: string[] = [];
  readonly notifications: string[] = [];
  initialized?: Message;
  #ctx: StageContext;

  constructor(
    readonly link: StdioLink,
    ctx: StageContext,
  ) {
    this.#ctx = ctx;
    void this.#read();
  }

  use(ctx: StageContext): this {
    this.#ctx = ctx; // each stage records into its own transcript
    return this;
  }

  #record(direction: Direction, line: string, message?: Message): void {
    const title = message
      ? message.method
        ? `${message.id !== undefined ? `request ${message.id}` : "notification"} ${message.method}`
        : `response ${message.id}${message.error ? ` error ${message.error.code} ${message.error.message}` : ""}`
      : "a line that is not JSON";
    this.#ctx.record({
      connection: 1,
      direction,
      at: new Date(),
      size: Buffer.byteLength(line) + 1,
      title,
      lines: [line.length > 300 ? `${line.slice(0, 300)}…` : line],
      label: title,
    });
  }

  async #read(): Promise<void> {
    for (;;) {
      let line: string | undefined;
      try {
        line = await this.link.next(24 * 3600_000);
      } catch {
        continue;
      }
      if (line === undefined) {
        for (const take of this.#waiting.values())
          take({ error: { code: 0, message: "the server's stdout ended" } });
        this.#waiting.clear();
        return;
      }
      let message: Message | undefined;
      try {
        message = JSON.parse(line) as Message;
      } catch {
        // recorded as it is; MCP allows nothing but JSON-RPC on stdout
      }
      this.#record("to-client", line, message);
      if (!message || typeof message !== "object") continue;
      if (message.method !== undefined && message.id !== undefined) this.#answer(message);
      else if (message.method !== undefined) this.notifications.push(message.method);
      else if (message.id !== undefined && message.id !== null) {
        const take = this.#waiting.get(String(message.id));
        this.#waiting.delete(String(message.id));
        take?.(message);
      }
    }
  }

  /** A request from the server: ping and roots/list get their answers, anything else -32601. */
  #answer(request: Message): void {
    this.serverRequests.push(request.method!);
    if (request.method === "ping") this.send({ jsonrpc: "2.0", id: request.id, result: {} });
    else if (request.method === "roots/list") {
      this.send({ jsonrpc: "2.0", id: request.id, result: { roots: [] } });
    } else {
      this.send({
        jsonrpc: "2.0",
        id: request.id,
        error: { code: -32601, message: `the tester does not offer ${request.method}` },
      });
    }
  }

  send(message: Message | string): void {
    const line = typeof message === "string" ? message : JSON.stringify(message);
    this.#record("to-server", line, typeof message === "string" ? undefined : message);
    this.link.send(line);
  }

  request(
    method: string,
    params?: Record<string, unknown>,
    id: string | number = this.#next++,
    timeoutMs = REPLY_MS,
  ): Promise<Message> {
    const reply = new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(String(id));
        reject(
          new StageFailure(
            `a response to ${method} (id ${id})`,
            `nothing within ${timeoutMs / 1000} s`,
          ),
        );
      }, timeoutMs);
      this.#waiting.set(String(id), (message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
    this.send({ jsonrpc: "2.0", id, method, ...(params ? { params } : {}) });
    return reply;
  }
}

const peers = new WeakMap<StdioLink, McpPeer>();

function peerOf(ctx: StageContext): McpPeer {
  if (!ctx.stdio) throw new Error("lesson 12 talks to the command over its stdio");
  let peer = peers.get(ctx.stdio);
  if (!peer) peers.set(ctx.stdio, (peer = new McpPeer(ctx.stdio, ctx)));
  return peer.use(ctx);
}

function resultOf(response: Message, what: string): Record<string, unknown> {
  if (response.error || !response.result) {
    throw new StageFailure(
      `a result for ${what}`,
      response.error ? `error ${response.error.code} ${response.error.message}` : show(response),
    );
  }
  return response.result;
}

/** What a tool call returned, as text: its text content items, or its structured content. */
function toolText(result: Record<string, unknown>): string {
  const content = Array.isArray(result.content)
    ? (result.content as { type?: string; text?: string }[])
    : [];
  const texts = content.filter((c) => c?.type === "text").map((c) => c.text ?? "");
  return [...texts, result.structuredContent ? JSON.stringify(result.structuredContent) : ""].join(
    " ",
  );
}

async function callTool(peer: McpPeer, name: string, args: Record<string, unknown>) {
  return peer.request("tools/call", { name, arguments: args });
}

export const lesson: LessonStages = {
  title: "lesson 12, MCP over stdio",
  ready: "stdio",
  decoder: () => rawDecoder(),
  stages: [
    {
      name: "answers initialize with a protocol version, capabilities and serverInfo",
      async run(ctx) {
        const peer = peerOf(ctx);
        const result = resultOf(
          await peer.request(
            "initialize",
            {
              protocolVersion: PROTOCOL_VERSION,
              capabilities: { roots: { listChanged: false } },
              clientInfo: { name: "course-tester", version: "1.0.0" },
            },
            undefined,
            60_000,
          ), // the first answer also waits for the server to start
          "initialize",
        );
        expectThat(
          typeof result.protocolVersion === "string",
          "a protocolVersion string",
          show(result.protocolVersion),
        );
        const capabilities = result.capabilities as Record<string, unknown> | undefined;
        expectThat(
          typeof capabilities === "object" && capabilities !== null,
          "a capabilities object",
          show(capabilities),
        );
        expectThat(
          typeof capabilities!.tools === "object",
          "capabilities.tools: the server offers tools",
          show(capabilities),
        );
        const info = result.serverInfo as { name?: unknown; version?: unknown } | undefined;
        expectThat(
          typeof info?.name === "string" && typeof info.version === "string",
          "serverInfo {name, version}",
          show(info),
        );
        peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
        peer.initialized = { result };
      },
    },
    {
      name: "answers ping with an empty result",
      async run(ctx) {
        const result = resultOf(await peerOf(ctx).request("ping"), "ping");
        expectEqual("the result of ping", {}, result);
      },
    },
    {
      name: "lists the calculator's tools, each with an object inputSchema",
      async run(ctx) {
        const result = resultOf(await peerOf(ctx).request("tools/list"), "tools/list");
        const tools = (Array.isArray(result.tools) ? result.tools : []) as {
          name?: string;
          inputSchema?: { type?: string };
        }[];
        for (const name of ["add", "subtract", "multiply", "divide", "hello"]) {
          const tool = tools.find((t) => t.name === name);
          expectThat(tool !== undefined, `a tool named "${name}"`, show(tools.map((t) => t.name)));
          expectEqual(`the inputSchema type of "${name}"`, "object", tool!.inputSchema?.type);
        }
      },
    },
    {
      name: "calls tools: add, subtract, multiply, divide with {a, b}, hello with {name}",
      async run(ctx) {
        const peer = peerOf(ctx);
        for (const c of CALCULATOR_CALLS) {
          const [a, b] = c.args;
          const what = `tools/call ${c.method} {a: ${a}, b: ${b}}`;
          const result = resultOf(await callTool(peer, c.method, { a, b }), what);
          expectThat(result.isError !== true, `${what} to succeed`, toolText(result));
          expectThat(
            new RegExp(`(^|[^\\d.])${String(c.result).replace(".", "\\.")}($|[^\\d.])`).test(
              toolText(result),
            ),
            `${what} to say ${c.result}`,
            toolText(result),
          );
        }
        const hello = resultOf(await callTool(peer, "hello", { name: "Ada" }), "tools/call hello");
        expectThat(
          toolText(hello).includes("Ada"),
          'hello {name: "Ada"} to say "Ada"',
          toolText(hello),
        );
      },
    },
    {
      name: "reports a tool's failure with isError, and protocol errors with JSON-RPC codes",
      async run(ctx) {
        const peer = peerOf(ctx);
        const zero = await callTool(peer, "divide", { a: 1, b: 0 });
        expectThat(
          zero.result?.isError === true || zero.error !== undefined,
          "divide {a: 1, b: 0} to answer isError: true (or a JSON-RPC error)",
          show(zero.result ?? zero.error),
        );
        const missing = await callTool(peer, "nosuch", {});
        expectThat(
          missing.error !== undefined || missing.result?.isError === true,
          "an error for an unknown tool",
          show(missing.result),
        );
        const method = await peer.request("nosuch/method", {});
        expectEqual("the error code of an unknown method", -32601, method.error?.code);
      },
    },
    {
      name: "survives a line that is not JSON, and answers the next request",
      async run(ctx) {
        const peer = peerOf(ctx);
        peer.send("{this is not json");
        expectThat(ctx.server.alive(), "the server to keep running", "it exited");
        resultOf(await peer.request("ping"), "ping after a bad line");
      },
    },
    {
      name: "answers 10 requests sent at once, each response matched by its id",
      async run(ctx) {
        const peer = peerOf(ctx);
        const replies = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            peer.request("tools/call", { name: "multiply", arguments: { a: i, b: 3 } }, `m${i}`),
          ),
        );
        replies.forEach((r, i) => {
          const text = toolText(resultOf(r, `multiply {a: ${i}, b: 3}`));
          expectThat(
            new RegExp(`(^|\\D)${i * 3}($|\\D)`).test(text),
            `multiply {a: ${i}, b: 3} to say ${i * 3}`,
            text,
          );
        });
        if (peer.serverRequests.length > 0)
          ctx.note(`the server asked: ${peer.serverRequests.join(", ")} (answered)`);
      },
    },
  ],
};
