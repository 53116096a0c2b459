/** Lesson 9's client calling an oslo.messaging server. */
export { serve } from "./seed-oslo.js";
export { connect } from "./lesson-09-amqp-rpc.js";
