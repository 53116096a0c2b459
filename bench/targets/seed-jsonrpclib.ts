import { seedSystem } from "./seed-python.js";

/** jsonrpclib's PooledJSONRPCServer (a pool of threads) and its ServerProxy. */
export const { serve, connect } = seedSystem("jsonrpclib_peer.py", { serverArgs: ["--pooled"] });
