/** Python's xmlrpc.client calling lesson 6's server. */
export { serve } from "./lesson-06-xml-rpc.js";
export { connect } from "./seed-xmlrpc.js";
