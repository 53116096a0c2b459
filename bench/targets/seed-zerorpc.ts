import { seedSystem } from "./seed-python.js";

/** The zerorpc protocol in Python (pyzmq + msgpack, framed as zerorpc-python frames it). */
export const { serve, connect } = seedSystem("zerorpc_peer.py");
