import { makeHttp } from "./node-http.js";

/** The same handler, but the client opens a new TCP connection for every call. */
export const { serve, connect } = makeHttp(false);
