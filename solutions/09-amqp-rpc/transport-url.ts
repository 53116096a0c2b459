import { RpcError } from "../../shared/rpc-error.js";

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
  const match = /^(rabbit|amqp):\/\/([^/?#]*)(?:\/([^?#]*))?(?:\?[^#]*)?$/.exec(text);
  if (!match) {
    throw new RpcError(
      "invalid_argument",
      `"${text}" is not a transport URL; expected rabbit://user:pass@host:port/vhost`,
    );
  }
  const hosts = match[2]!.split(",").map((part) => parseHost(part, text));
  return { hosts, virtualHost: decodeURIComponent(match[3] ?? "") || "/" };
}

function parseHost(part: string, text: string): BrokerAddress {
  const at = part.lastIndexOf("@");
  const userinfo = at === -1 ? "" : part.slice(0, at);
  const hostport = at === -1 ? part : part.slice(at + 1);
  const colon = userinfo.indexOf(":");
  const username = colon === -1 ? userinfo : userinfo.slice(0, colon);
  const password = colon === -1 ? "" : userinfo.slice(colon + 1);
  // "[::1]:5672" keeps the brackets off the address; "host:5672" splits at the last colon.
  const hostMatch = /^(?:\[([^\]]+)\]|([^:]*))(?::(\d*))?$/.exec(hostport);
  const hostname = hostMatch?.[1] ?? hostMatch?.[2] ?? "";
  const port = hostMatch?.[3] ? Number(hostMatch[3]) : 5672;
  if (!hostMatch || !hostname || !(port > 0 && port < 65536)) {
    throw new RpcError("invalid_argument", `"${text}" has no valid host:port in "${hostport}"`);
  }
  return {
    hostname,
    port,
    username: decodeURIComponent(username) || "guest",
    password: decodeURIComponent(password) || (username ? "" : "guest"),
  };
}
