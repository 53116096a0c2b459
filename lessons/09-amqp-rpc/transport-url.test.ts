import { describe, expect, it } from "vitest";
import { RpcError } from "../../shared/rpc-error.js";
import { parseTransportUrl } from "./transport-url.js";

describe("task 1: parse a transport URL", () => {
  it("reads user, password, host, port and virtual host, as nova.conf's transport_url", () => {
    expect(parseTransportUrl("rabbit://nova:secret@controller:5673/openstack")).toEqual({
      hosts: [{ username: "nova", password: "secret", hostname: "controller", port: 5673 }],
      virtualHost: "openstack",
    });
  });

  it("fills in what is left out: port 5672, guest/guest, the default vhost /", () => {
    expect(parseTransportUrl("rabbit://localhost/")).toEqual({
      hosts: [{ username: "guest", password: "guest", hostname: "localhost", port: 5672 }],
      virtualHost: "/",
    });
    expect(parseTransportUrl("rabbit://u:p@127.0.0.1:5672").virtualHost).toBe("/");
  });

  it("percent-decodes the password and the virtual host", () => {
    const url = parseTransportUrl("rabbit://ada:p%40ss%2Fword@h:1234/%2Fprod");
    expect(url.hosts[0]!.password, "%40 is @ and %2F is /").toBe("p@ss/word");
    expect(url.virtualHost).toBe("/prod");
  });

  it("takes several comma-separated brokers, as oslo does for a cluster", () => {
    const url = parseTransportUrl("rabbit://a:1@h1:5672,b:2@h2:5673/vh");
    expect(url.hosts.map((h) => `${h.username}@${h.hostname}:${h.port}`)).toEqual([
      "a@h1:5672",
      "b@h2:5673",
    ]);
    expect(url.virtualHost).toBe("vh");
  });

  it("accepts amqp:// as well, which is what a plain AMQP URL looks like", () => {
    expect(parseTransportUrl("amqp://guest:guest@127.0.0.1:5672/").hosts[0]!.port).toBe(5672);
  });

  it.each(["http://host/", "rabbit://", "rabbit://host:99999/", "rabbit://host:port/", "nonsense"])(
    "refuses %s with invalid_argument",
    (text) => {
      try {
        parseTransportUrl(text);
        expect.unreachable(`parseTransportUrl("${text}") must throw`);
      } catch (error) {
        expect(error, "throw an RpcError, not a plain Error").toBeInstanceOf(RpcError);
        expect((error as RpcError).code).toBe("invalid_argument");
      }
    },
  );
});
