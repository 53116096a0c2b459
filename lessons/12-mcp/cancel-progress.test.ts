import { describe, expect, it } from "vitest";
import { McpClient } from "./client.js";
import { Method, PeerErrorCode } from "./messages.js";
import { Peer, type Progress } from "./peer.js";
import { McpServer } from "./server.js";
import { Recorder, wire } from "./testing.js";
import type { Tool } from "./tools.js";

const noArgs = { type: "object" as const, properties: {} };

/** A tool that runs until it is cancelled, and tells the test when it started and stopped. */
function untilCancelled() {
  let started!: () => void;
  let stopped!: (reason: unknown) => void;
  const events = {
    started: new Promise<void>((resolve) => (started = resolve)),
    stopped: new Promise<unknown>((resolve) => (stopped = resolve)),
  };
  const tool: Tool = {
    name: "forever",
    description: "waits until cancelled",
    inputSchema: noArgs,
    run: (_args, { signal }) =>
      new Promise((_resolve, reject) => {
        signal.addEventListener("abort", () => {
          stopped(signal.reason);
          reject(signal.reason);
        });
        started();
      }),
  };
  return { tool, ...events };
}

async function connected(tools: Tool[], options: Parameters<typeof McpClient.connect>[1] = {}) {
  const w = wire();
  const server = new McpServer(w.right, { tools, log: () => {} });
  const client = await McpClient.connect(w.left, { log: () => {}, ...options });
  return { client, server };
}

describe("task 5: cancellation, progress, and a request back", () => {
  it("cancels with notifications/cancelled: the tool's signal aborts, and no reply comes", async () => {
    const { tool, started, stopped } = untilCancelled();
    const { client, server } = await connected([tool]);
    const controller = new AbortController();
    const call = client.callTool("forever", {}, { signal: controller.signal });
    await started;
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: "canceled" });
    expect(await stopped, "the handler saw the cancellation").toMatchObject({ code: "canceled" });
    await expect.poll(() => server.peer.running, { message: "and its request is over" }).toBe(0);
    expect(await client.callTool("forever", {}, { timeoutMs: 0 }).catch((e) => e.code)).toBe(
      "deadline_exceeded",
    );
    client.close();
  });

  it("cancels the LSP way with $/cancelRequest, answered with RequestCancelled (-32800)", async () => {
    const w = wire();
    const raw = new Recorder();
    w.left.start(raw);
    const lsp = new Peer(w.right, { log: () => {} });
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    lsp.onRequest("textDocument/hover", (_params, { signal }) => {
      started();
      return new Promise((_resolve, reject) =>
        signal.addEventListener("abort", () => reject(signal.reason)),
      );
    });
    w.left.send({ jsonrpc: "2.0", id: 4, method: "textDocument/hover", params: {} });
    await running;
    w.left.send({ jsonrpc: "2.0", method: Method.CancelRequest, params: { id: 4 } });
    expect(await raw.next((m) => m.id === 4)).toMatchObject({
      error: { code: PeerErrorCode.RequestCancelled },
    });
    lsp.close();
  });

  it("ignores a cancellation of an id that is not running", async () => {
    const { client } = await connected([]);
    client.peer.notify(Method.Cancelled, { requestId: 12345, reason: "no such call" });
    client.peer.notify(Method.Cancelled, { requestId: { not: "an id" } });
    await client.ping();
    client.close();
  });

  it("sends progress notifications to the caller's onProgress until the call ends", async () => {
    const counter: Tool = {
      name: "count",
      description: "counts to n, reporting each step",
      inputSchema: { type: "object", properties: { n: { type: "number" } } },
      run: ({ n }, context) => {
        for (let i = 1; i <= (n as number); i++)
          context.progress({ progress: i, total: n as number, message: `step ${i}` });
        return n;
      },
    };
    const { client } = await connected([counter]);
    const seen: Progress[] = [];
    const result = await client.callTool("count", { n: 3 }, { onProgress: (p) => seen.push(p) });
    expect(result.content[0]!.text).toBe("3");
    expect(seen).toEqual([
      { progress: 1, total: 3, message: "step 1" },
      { progress: 2, total: 3, message: "step 2" },
      { progress: 3, total: 3, message: "step 3" },
    ]);
    const quiet = await client.callTool("count", { n: 2 });
    expect(quiet.content[0]!.text, "no token, no progress, no harm").toBe("2");
    client.close();
  });

  it("lets a tool ask the client for its roots mid-call, answered while the call waits", async () => {
    const askRoots: Tool = {
      name: "workspace",
      description: "names the client's roots",
      inputSchema: noArgs,
      run: async (_args, context) => {
        const { roots } = (await context.request(Method.RootsList)) as { roots: { uri: string }[] };
        return roots.map((root) => root.uri).join(" ");
      },
    };
    const { client, server } = await connected([askRoots], {
      roots: [{ uri: "file:///home/me/project", name: "project" }],
    });
    expect(server.clientCapabilities).toHaveProperty("roots");
    const result = await client.callTool("workspace");
    expect(result.content[0]!.text).toBe("file:///home/me/project");
    client.close();
  });

  it("lets a tool ask the user through the client (elicitation)", async () => {
    const confirm: Tool = {
      name: "deleteAll",
      description: "asks before deleting",
      inputSchema: noArgs,
      run: async (_args, context) => {
        const answer = (await context.request(Method.Elicit, {
          message: "Delete everything?",
          requestedSchema: { type: "object", properties: { sure: { type: "boolean" } } },
        })) as { action: string; content?: { sure?: boolean } };
        return answer.action === "accept" && answer.content?.sure ? "deleted" : "kept";
      },
    };
    const asked: string[] = [];
    const { client } = await connected([confirm], {
      elicit: async ({ message }) => {
        asked.push(message);
        return { action: "accept", content: { sure: false } };
      },
    });
    expect((await client.callTool("deleteAll")).content[0]!.text).toBe("kept");
    expect(asked).toEqual(["Delete everything?"]);
    client.close();
  });
});
