import { makeAmqp } from "./amqplib-bare.js";

/** The same RPC, but each reply is confirmed by the broker before the request is acked. */
export const { serve, connect } = makeAmqp({ confirm: true });
