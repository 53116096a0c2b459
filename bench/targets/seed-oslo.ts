import { seedSystem } from "./seed-python.js";

/** oslo.messaging's rabbit driver: an RPC server (threading executor) and an RPCClient. */
export const { serve, connect } = seedSystem("oslo_peer.py", { broker: true });
