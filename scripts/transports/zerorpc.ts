import { ZeroRpcClient } from "../../solutions/07-zeromq/client.js";
import { serveZeroRpc } from "../../solutions/07-zeromq/server.js";
import type { Transport } from "../lib/transport.js";

/**
 * npm run call -- zerorpc+tcp://127.0.0.1:4242 add 11 33
 * zerorpc over ZeroMQ (lesson 7), like `zerorpc tcp://localhost:4242 add 11 33`. A streaming
 * method prints one line per item (the first reply tells; --stream insists on a stream).
 * `_zerorpc_inspect` and `_zerorpc_list` list the server's methods.
 * --heartbeat ms must match the server's heartbeat (zerorpc's default: 5000).
 * Without --timeout a call waits as long as the server's heartbeats say it is alive: a long
 * call on a live server is not cut, a server silent for two heartbeats fails the call.
 */
/** The longest timer Node keeps (about 24 days): lesson 7's client takes no Infinity. */
const NO_DEADLINE = 2 ** 31 - 1;

export const transport: Transport = {
  schemes: ["zerorpc+tcp:"],
  describe:
    "lesson 7, zerorpc over ZeroMQ: zerorpc+tcp://127.0.0.1:4242  (_zerorpc_inspect lists methods)",
  async serve(url, service, { flags }) {
    const heartbeatMs = typeof flags.heartbeat === "string" ? Number(flags.heartbeat) : undefined;
    const port = url.port && url.port !== "0" ? url.port : "*";
    const server = await serveZeroRpc(service, {
      endpoint: `tcp://${url.hostname}:${port}`,
      ...(heartbeatMs ? { heartbeatMs } : {}),
    });
    return { url: server.endpoint.replace(/^tcp:/, "zerorpc+tcp:"), close: () => server.close() };
  },
  async call(url, method, args, { flags, timeoutMs: given }) {
    const timeoutMs = flags.timeout === undefined ? NO_DEADLINE : given;
    const heartbeatMs = typeof flags.heartbeat === "string" ? Number(flags.heartbeat) : undefined;
    const client = ZeroRpcClient.connect(`tcp://${url.host}`, {
      timeoutMs,
      ...(heartbeatMs ? { heartbeatMs } : {}),
    });
    let reply: unknown;
    try {
      reply = flags.stream
        ? client.stream(method, args, { timeoutMs })
        : await client.call(method, args, { timeoutMs });
    } catch (error) {
      await client.close();
      throw error;
    }
    if (reply === null || typeof reply !== "object" || !(Symbol.asyncIterator in reply)) {
      await client.close(); // an open ZeroMQ socket would keep the command from exiting
      return reply;
    }
    const items = reply as AsyncIterable<unknown>;
    return (async function* () {
      try {
        yield* items;
      } finally {
        await client.close();
      }
    })();
  },
};
