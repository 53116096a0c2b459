import { makeAmqpRpc } from "./lesson-09-amqp-rpc.js";

/** Lesson 9's cast: one-way, returns once the broker has confirmed the message. */
export const { serve, connect } = makeAmqpRpc({ cast: true });
