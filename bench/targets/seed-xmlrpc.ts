import { seedSystem } from "./seed-python.js";

/** Python's xmlrpc: SimpleXMLRPCServer (one request at a time) and xmlrpc.client. */
export const { serve, connect } = seedSystem("xmlrpc_peer.py");
