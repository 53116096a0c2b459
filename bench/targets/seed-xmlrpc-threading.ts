import { seedSystem } from "./seed-python.js";

/** Python's xmlrpc with ThreadingMixIn: a thread per connection. */
export const { serve, connect } = seedSystem("xmlrpc_peer.py", { serverArgs: ["--threading"] });
