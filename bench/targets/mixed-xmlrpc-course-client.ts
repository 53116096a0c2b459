/** Lesson 6's client calling Python's SimpleXMLRPCServer (ThreadingMixIn). */
export { serve } from "./seed-xmlrpc-threading.js";
export { connect } from "./lesson-06-xml-rpc.js";
