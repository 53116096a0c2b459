import { describe, expect, it } from "vitest";
import { encodeSseEvent } from "../../solutions/12-mcp/sse.js";
import { decodeCut } from "./cuts.js";
import { mcpDecoder } from "./mcp.js";

const post = (body: object) => {
  const text = JSON.stringify(body);
  return Buffer.from(
    `POST /mcp HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
};

/** An SSE response with chunked transfer encoding, one chunk per event. */
const sseResponse = (...messages: object[]) => {
  const chunks = messages.map((m) => {
    const event = encodeSseEvent({ id: "3_1", data: JSON.stringify(m) });
    return `${Buffer.byteLength(event).toString(16)}\r\n${event}\r\n`;
  });
  return Buffer.from(
    `HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n${chunks.join("")}0\r\n\r\n`,
  );
};

describe("MCP over Streamable HTTP", () => {
  it("shows each SSE event as it comes, and matches replies to requests by id, both ways", () => {
    const call = post({
      jsonrpc: "2.0",
      id: 40,
      method: "tools/call",
      params: { name: "workspace" },
    });
    const stream = sseResponse(
      { jsonrpc: "2.0", id: 40, method: "roots/list" },
      { jsonrpc: "2.0", id: 40, result: { content: [] } },
    );
    const answer = post({ jsonrpc: "2.0", id: 40, result: { roots: [] } });
    for (let at = 0; at <= stream.length; at += 7) {
      const asked = decodeCut(mcpDecoder, "to-server", call, call.length);
      expect(asked[0]!.label).toMatch(/client's request 40: tools\/call/);
      const streamed = decodeCut(mcpDecoder, "to-client", stream, at);
      const labels = streamed.map((m) => m.label).filter(Boolean);
      expect(labels, `cut at ${at}`).toEqual([
        "SSE stream opens",
        expect.stringMatching(/^server's request 40: roots\/list/),
        expect.stringMatching(/answers the client's tools\/call 40/),
        "SSE stream ends",
      ]);
      const answered = decodeCut(mcpDecoder, "to-server", answer, answer.length);
      expect(answered[0]!.label).toMatch(/answers the server's roots\/list 40/);
    }
  });
});
