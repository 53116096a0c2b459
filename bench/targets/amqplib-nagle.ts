import { makeAmqp } from "./amqplib-bare.js";

/** The same RPC with amqplib's default socket options: Nagle's algorithm left on. */
export const { serve, connect } = makeAmqp({ noDelay: false });
