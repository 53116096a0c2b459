import { connect } from "../../solutions/03-raw-tcp/client.js";
import { serve } from "../../solutions/03-raw-tcp/server.js";
import { Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import { loadService } from "../commands/serve.js";
import type { Transport } from "../lib/transport.js";

/**
 * npm run call -- tcp://127.0.0.1:4242 add 1 2   (lesson 3's server: npm run demo 3 server)
 * Call IDs are numbered from the calculator; --module m numbers them from the module that
 * `npm run serve -- tcp://… m` serves.
 */
export const transport: Transport = {
  schemes: ["tcp:"],
  describe: "lesson 3, raw TCP: tcp://127.0.0.1:4242  (--module m: another module's call IDs)",
  async call(url, method, args, { flags, timeoutMs }) {
    // Lesson 3 sends integer call IDs: both sides must number the same functions the same way.
    const registry =
      typeof flags.module === "string"
        ? Registry.fromService((await loadService(flags.module)).service)
        : undefined;
    const client = await connect(url, { timeoutMs, ...(registry ? { registry } : {}) });
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
