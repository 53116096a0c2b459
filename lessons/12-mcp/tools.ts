import { Dispatcher } from "../../solutions/05-json-rpc/dispatcher.js";
import { parameterNames } from "../../solutions/05-json-rpc/parameter-names.js";
import { toRpcError } from "../../solutions/05-json-rpc/protocol.js";
import { RpcError } from "../../shared/rpc-error.js";
import type { HandlerContext } from "./peer.js";
import { todo } from "../../shared/todo.js";

/**
 * MCP's tools: functions a model may call, each described by a JSON Schema of its input, so
 * that the client (and the model behind it) knows what arguments to send.
 */

export interface JsonSchema {
  type?: "object" | "number" | "integer" | "string" | "boolean" | "array";
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  [keyword: string]: unknown;
}

export interface Tool {
  name: string;
  description: string;
  /** Always `type: "object"`: a tool takes named arguments. */
  inputSchema: JsonSchema;
  /** The shape of `structuredContent` in a result, when the tool gives one. */
  outputSchema?: JsonSchema;
  /** Runs the tool. What it returns is the result; what it throws is a tool error. */
  run(args: Record<string, unknown>, context: HandlerContext): unknown;
}

export interface TextContent {
  type: "text";
  text: string;
}

export interface CallToolResult {
  content: TextContent[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** The answer to tools/list: each tool's name, description and schemas, never its code. */
export function listTools(tools: Iterable<Tool>): { tools: Omit<Tool, "run">[] } {
  return todo("task 4: listTools");
}

/**
 * Answers tools/call `{ name, arguments }`. Two kinds of failure, two channels:
 * - the request itself is wrong (no such tool, `name` not a string, `arguments` not an
 *   object): a protocol error, thrown as RpcError("invalid_argument") → -32602;
 * - the tool could not do its job (arguments that do not fit its schema, or it threw): a
 *   result with `isError: true` and the reason as text, which the model reads and may correct.
 * A value comes back as text (a string as it is, anything else as JSON) and, for tools with
 * an `outputSchema`, as `structuredContent: { result }` too.
 */
export async function callTool(
  tools: ReadonlyMap<string, Tool>,
  params: { name?: unknown; arguments?: unknown },
  context: HandlerContext,
): Promise<CallToolResult> {
  return todo("task 4: callTool");
}

/**
 * Checks arguments against the simple schemas tools use (given: JSON Schema validation is
 * not this lesson's subject): required properties present, known properties of the declared
 * type, nothing undeclared. A sentence saying what is wrong, or undefined.
 */
export function checkArguments(
  schema: JsonSchema,
  args: Record<string, unknown>,
): string | undefined {
  const properties = schema.properties ?? {};
  for (const name of schema.required ?? []) {
    if (!Object.hasOwn(args, name)) return `missing argument "${name}"`;
  }
  for (const [name, value] of Object.entries(args)) {
    if (!Object.hasOwn(properties, name)) return `unknown argument "${name}"`;
    const type = properties[name]!.type;
    const actual = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
    const fits =
      type === undefined ||
      type === actual ||
      (type === "integer" && Number.isInteger(value)) ||
      (type === "object" && actual === "object");
    if (!fits) return `argument "${name}" must be of type ${type}, got ${actual}`;
  }
  return undefined;
}

/** What a service's function needs besides its name to become a tool. */
export interface ToolSpec {
  description?: string;
  inputSchema?: JsonSchema;
  outputSchema?: JsonSchema;
}

/**
 * A module's functions as tools, run through lesson 5's Dispatcher, so that named arguments
 * reach the right parameters and a thrown error becomes the same error object as in lesson 5.
 * A function without a spec gets a schema made from its parameter names (any type, all
 * required): enough for `npm run serve` to offer any module to an assistant.
 */
export function serviceTools(
  service: Record<string, Function>,
  specs: Record<string, ToolSpec> = {},
): Tool[] {
  return todo("task 4: serviceTools");
}
