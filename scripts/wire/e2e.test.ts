import { afterEach, describe, expect, it } from "vitest";
import { calculator } from "../../shared/calculator.js";
import { listenOnFreePort } from "../../shared/testing/servers.js";
import { serve } from "../../solutions/03-raw-tcp/server.js";
import { createHttpRpcServer } from "../../solutions/04-http/server.js";
import { serveJsonRpc } from "../../solutions/05-json-rpc/server.js";
import { serveXmlRpc } from "../../solutions/06-xml-rpc/server.js";
import { serveZeroRpc } from "../../solutions/07-zeromq/server.js";
import { transport as http } from "../transports/http.js";
import { transport as tcp } from "../transports/tcp.js";
import { transport as xmlrpc } from "../transports/xmlrpc.js";
import { transport as zerorpc } from "../transports/zerorpc.js";
import { framesDecoder } from "./frames.js";
import { httpDecoder } from "./http.js";
import { callThrough } from "./through.js";
import { zmtpDecoder } from "./zmtp.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const titles = (passed: { title: string }[]) => passed.map((m) => m.title);

describe("npm run wire, end to end through the proxy", () => {
  it("lesson 3: the frame with its request ID, the call and the reply", async () => {
    const server = await serve(calculator);
    cleanups.push(() => server.close());
    const { reply, passed } = await callThrough(
      tcp,
      framesDecoder,
      new URL(server.url),
      "add",
      [1, 2],
    );
    expect(reply).toBe(3);
    expect(titles(passed)).toEqual([
      "frame: length 28, request 1, call add(1, 2)",
      "frame: length 10, request 1, result 3",
    ]);
  });

  it("lesson 4: POST /rpc and its JSON reply", async () => {
    const server = await listenOnFreePort(createHttpRpcServer(calculator));
    cleanups.push(() => server.close());
    const url = new URL(`http://127.0.0.1:${server.port}/rpc`);
    const { reply, passed } = await callThrough(http, httpDecoder, url, "add", [1, 2]);
    expect(reply).toBe(3);
    expect(passed.map((m) => m.label)).toEqual(["POST /rpc add(1, 2) id 1", "200 OK → 3 id 1"]);
  });

  it("lesson 5: JSON-RPC 2.0, pretty-printed", async () => {
    const server = await serveJsonRpc(calculator);
    cleanups.push(() => server.close());
    const { reply, passed } = await callThrough(
      http,
      httpDecoder,
      new URL(server.url),
      "add",
      [1, 2],
    );
    expect(reply).toBe(3);
    expect(passed[0]!.lines).toContain('  "jsonrpc": "2.0",');
    expect(passed[1]!.label).toBe("200 OK → 3 id 1");
  });

  it("lesson 6: XML-RPC read with lesson 6's reader", async () => {
    const server = await serveXmlRpc(calculator);
    cleanups.push(() => server.close());
    const url = new URL(server.url.replace(/^http:/, "xmlrpc+http:"));
    const { reply, passed } = await callThrough(xmlrpc, httpDecoder, url, "add", [1, 2]);
    expect(reply).toBe(3);
    expect(passed.map((m) => m.label)).toEqual(["POST /RPC2 add(1, 2)", "200 OK → 3"]);
  });

  it("lesson 7: ZMTP's greeting and READY, then zerorpc's events", async () => {
    const server = await serveZeroRpc(calculator);
    cleanups.push(() => server.close());
    const url = new URL(server.endpoint.replace(/^tcp:/, "zerorpc+tcp:"));
    const { reply, passed } = await callThrough(zerorpc, zmtpDecoder, url, "add", [1, 2]);
    expect(reply).toBe(3);
    const seen = titles(passed);
    expect(seen).toContain("ZMTP command READY (Socket-Type: DEALER, Identity: )");
    expect(seen).toContain("ZMTP message, 2 frames: zerorpc add(1, 2)");
    expect(seen).toContain("ZMTP message, 2 frames: zerorpc OK 3");
    expect(seen.filter((t) => t.startsWith("ZMTP greeting"))).toHaveLength(2);
  });
});
