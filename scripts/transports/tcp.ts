import { connect } from "../../solutions/03-raw-tcp/client.js";
import { serve } from "../../solutions/03-raw-tcp/server.js";
import type { Transport } from "../lib/transport.js";

/** npm run call -- tcp://127.0.0.1:4242 add 1 2   (lesson 3's server: npm run demo 3 server) */
export const transport: Transport = {
  schemes: ["tcp:"],
  describe: "lesson 3, raw TCP: tcp://127.0.0.1:4242",
  async call(url, method, args, { timeoutMs }) {
    const client = await connect(url, { timeoutMs });
    try {
      return await client.call(method, args, { timeoutMs });
    } finally {
      await client.close(); // an open socket would keep the command from exiting
    }
  },
  async serve(url, service, { log }) {
    const server = await serve(service, { host: url.hostname, port: Number(url.port), log });
    return { url: server.url, close: () => server.close() };
  },
};
