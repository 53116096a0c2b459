import { makeFloor } from "./net-floor.js";

/** The floor without batching: one write per request and one per reply. */
export const { serve, connect } = makeFloor(false);
