import { describe, expect, it } from "vitest";
import { calculatorTools } from "./calculator-tools.js";
import { McpClient } from "./client.js";
import { McpServer } from "./server.js";
import { wire } from "./testing.js";
import { serviceTools, type Tool } from "./tools.js";

async function connected(tools: Tool[] = calculatorTools()) {
  const w = wire();
  new McpServer(w.right, { tools, log: () => {} });
  return McpClient.connect(w.left);
}

const text = (result: { content: { text: string }[] }) =>
  result.content.map((c) => c.text).join("");

describe("task 4: tools", () => {
  it("lists the calculator's tools with JSON Schemas of their inputs", async () => {
    const client = await connected();
    const tools = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      "add",
      "divide",
      "hello",
      "multiply",
      "subtract",
    ]);
    const add = tools.find((t) => t.name === "add")!;
    expect(add.inputSchema).toEqual({
      type: "object",
      properties: { a: { type: "number" }, b: { type: "number" } },
      required: ["a", "b"],
    });
    expect(add.description.length, "a model reads the description").toBeGreaterThan(0);
    expect(add, "never the code").not.toHaveProperty("run");
    client.close();
  });

  it("calls add, subtract, multiply, divide and hello by name with named arguments", async () => {
    const client = await connected();
    const add = await client.callTool("add", { a: 1, b: 2 });
    expect(add).toEqual({
      content: [{ type: "text", text: "3" }],
      structuredContent: { result: 3 },
    });
    expect(text(await client.callTool("subtract", { b: 2, a: 5 })), "by name, not position").toBe(
      "3",
    );
    expect(text(await client.callTool("multiply", { a: 4, b: 2.5 }))).toBe("10");
    expect(text(await client.callTool("divide", { a: 1, b: 4 }))).toBe("0.25");
    expect(text(await client.callTool("hello", { name: "MCP" }))).toBe("Hello, MCP!");
    client.close();
  });

  it("reports a tool's failure as a result with isError, for the model to read", async () => {
    const client = await connected();
    const zero = await client.callTool("divide", { a: 1, b: 0 });
    expect(zero.isError).toBe(true);
    expect(text(zero)).toMatch(/zero/i);
    const wrongType = await client.callTool("add", { a: "1", b: 2 });
    expect(
      wrongType,
      "arguments that do not fit the schema are the tool's error too",
    ).toMatchObject({
      isError: true,
    });
    expect(text(wrongType)).toContain('"a"');
    expect(await client.callTool("add", { a: 1 })).toMatchObject({ isError: true });
    client.close();
  });

  it("answers an unknown tool or arguments that are not an object with a protocol error, -32602", async () => {
    const client = await connected();
    await expect(client.callTool("sqrt", { a: 4 })).rejects.toMatchObject({
      code: "invalid_argument",
      cause: { code: -32602 },
    });
    await expect(
      client.peer.request("tools/call", { name: "add", arguments: [1, 2] }),
    ).rejects.toMatchObject({ cause: { code: -32602 } });
    expect(text(await client.callTool("add", { a: 1, b: 1 })), "and the session goes on").toBe("2");
    client.close();
  });

  it("turns any module's functions into tools, with schemas from their parameter names", async () => {
    const greet = { shout: (word: string, times: number) => word.toUpperCase().repeat(times) };
    const tools = serviceTools(greet);
    expect(tools[0]).toMatchObject({
      name: "shout",
      inputSchema: {
        type: "object",
        properties: { word: {}, times: {} },
        required: ["word", "times"],
      },
    });
    const client = await connected(tools);
    expect(text(await client.callTool("shout", { times: 2, word: "hi" }))).toBe("HIHI");
    client.close();
  });
});
