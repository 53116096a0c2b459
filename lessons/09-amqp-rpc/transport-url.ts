import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";

/**
 * The transport: how to reach the broker. oslo.messaging reads it from one line of
 * nova.conf, `transport_url = rabbit://user:pass@host:5672/vhost`, and so do we.
 */

export interface BrokerAddress {
  hostname: string;
  port: number;
  username: string;
  password: string;
}

export interface TransportUrl {
  /** One or more brokers (`rabbit://a@h1:5672,b@h2:5672/`): the next one is tried on failure. */
  hosts: BrokerAddress[];
  /** The RabbitMQ virtual host; an empty path means the default one, "/". */
  virtualHost: string;
}

/**
 * Parses `rabbit://user:pass@host:port/vhost`. Not with `new URL()`: oslo allows several
 * comma-separated hosts, which a WHATWG URL cannot hold. User, password and vhost are
 * percent-decoded, so a password may contain "@" or "/" written as %40 or %2F. Anything
 * else is an `invalid_argument` RpcError that quotes the text.
 */
export function parseTransportUrl(text: string): TransportUrl {
  return todo("task 1: parseTransportUrl");
}
