/** An oslo.messaging client calling lesson 9's server. */
export { serve } from "./lesson-09-amqp-rpc.js";
export { connect } from "./seed-oslo.js";
