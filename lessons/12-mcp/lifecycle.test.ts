import { describe, expect, it } from "vitest";
import { McpClient } from "./client.js";
import { LATEST_PROTOCOL_VERSION, Method, SUPPORTED_PROTOCOL_VERSIONS } from "./messages.js";
import { Peer } from "./peer.js";
import { McpServer, negotiateVersion } from "./server.js";
import { wire } from "./testing.js";

const hello = {
  protocolVersion: "2025-06-18",
  capabilities: {},
  clientInfo: { name: "test", version: "0" },
};

/** A plain peer as the client, to send what McpClient never would. */
function serverAndRawClient() {
  const w = wire();
  const server = new McpServer(w.right, { log: () => {} });
  const client = new Peer(w.left, { log: () => {} });
  return { server, client };
}

describe("task 3: the handshake", () => {
  it("negotiates the version: the client's when this side speaks it, else the newest", () => {
    expect(SUPPORTED_PROTOCOL_VERSIONS).toContain("2025-06-18");
    expect(negotiateVersion("2025-06-18")).toBe("2025-06-18");
    expect(negotiateVersion(LATEST_PROTOCOL_VERSION)).toBe(LATEST_PROTOCOL_VERSION);
    expect(negotiateVersion("1999-01-01")).toBe(LATEST_PROTOCOL_VERSION);
  });

  it("answers initialize with version, capabilities and serverInfo; the client then sends notifications/initialized", async () => {
    const w = wire();
    const server = new McpServer(w.right, { serverInfo: { name: "calc", version: "1.2.3" } });
    const client = await McpClient.connect(w.left, {
      clientInfo: { name: "learner", version: "0.1" },
      roots: [{ uri: "file:///tmp", name: "tmp" }],
    });
    expect(client.server).toMatchObject({
      protocolVersion: LATEST_PROTOCOL_VERSION,
      capabilities: { tools: {} },
      serverInfo: { name: "calc", version: "1.2.3" },
    });
    await client.ping(); // answered after the notification, which came first on the stream
    expect(server.ready, "notifications/initialized arrived").toBe(true);
    expect(server.clientInfo).toEqual({ name: "learner", version: "0.1" });
    expect(server.clientCapabilities, "the client offered its roots").toHaveProperty("roots");
    client.close();
  });

  it("refuses requests before initialize with -32002, but answers ping", async () => {
    const { client } = serverAndRawClient();
    await expect(client.request(Method.ToolsList)).rejects.toMatchObject({
      cause: { code: -32002 },
    });
    expect(await client.request(Method.Ping), "ping is allowed at any time").toEqual({});
    await client.request(Method.Initialize, hello);
    expect(await client.request(Method.ToolsList)).toEqual({ tools: [] });
    client.close();
  });

  it("refuses malformed initialize params and a second initialize", async () => {
    const { client } = serverAndRawClient();
    await expect(client.request(Method.Initialize, { capabilities: {} })).rejects.toMatchObject({
      code: "invalid_argument",
    });
    await expect(client.request(Method.ToolsList), "still not initialized").rejects.toMatchObject({
      cause: { code: -32002 },
    });
    expect(await client.request(Method.Initialize, hello)).toMatchObject({
      protocolVersion: "2025-06-18",
    });
    await expect(client.request(Method.Initialize, hello)).rejects.toMatchObject({
      cause: { code: -32600 },
    });
    client.close();
  });

  it("a client hangs up on a server that answers with a version it does not speak", async () => {
    const w = wire();
    const oldServer = new Peer(w.right, { log: () => {} });
    oldServer.onRequest(Method.Initialize, () => ({
      protocolVersion: "1999-01-01",
      capabilities: {},
      serverInfo: { name: "old", version: "0" },
    }));
    await expect(McpClient.connect(w.left)).rejects.toMatchObject({ code: "bad_message" });
    await oldServer.closed;
  });
});
