/**
 * AMQP 0-9-1 methods by (class id, method id): their names and the arguments the course shows.
 * Argument types: o octet, n short, l long, L longlong, s shortstr, S longstr, b bit,
 * t field table; a name starting with "_" is reserved and not shown, "!" hides the value
 * (the login response holds the password).
 */
export interface MethodSpec {
  name: string;
  args: [string, "o" | "n" | "l" | "L" | "s" | "S" | "b" | "t"][];
}

const CLOSE: MethodSpec["args"] = [
  ["reply-code", "n"],
  ["reply-text", "s"],
  ["class-id", "n"],
  ["method-id", "n"],
];

const SPECS: Record<string, MethodSpec["args"]> = {
  "connection.start": [
    ["version-major", "o"],
    ["version-minor", "o"],
    ["server-properties", "t"],
    ["mechanisms", "S"],
    ["locales", "S"],
  ],
  "connection.start-ok": [
    ["client-properties", "t"],
    ["mechanism", "s"],
    ["!response", "S"],
    ["locale", "s"],
  ],
  "connection.tune": [
    ["channel-max", "n"],
    ["frame-max", "l"],
    ["heartbeat", "n"],
  ],
  "connection.tune-ok": [
    ["channel-max", "n"],
    ["frame-max", "l"],
    ["heartbeat", "n"],
  ],
  "connection.open": [["virtual-host", "s"]],
  "connection.close": CLOSE,
  "channel.close": CLOSE,
  "exchange.declare": [
    ["_ticket", "n"],
    ["exchange", "s"],
    ["type", "s"],
    ["passive", "b"],
    ["durable", "b"],
    ["auto-delete", "b"],
    ["internal", "b"],
    ["no-wait", "b"],
    ["arguments", "t"],
  ],
  "queue.declare": [
    ["_ticket", "n"],
    ["queue", "s"],
    ["passive", "b"],
    ["durable", "b"],
    ["exclusive", "b"],
    ["auto-delete", "b"],
    ["no-wait", "b"],
    ["arguments", "t"],
  ],
  "queue.declare-ok": [
    ["queue", "s"],
    ["message-count", "l"],
    ["consumer-count", "l"],
  ],
  "queue.bind": [
    ["_ticket", "n"],
    ["queue", "s"],
    ["exchange", "s"],
    ["routing-key", "s"],
    ["no-wait", "b"],
    ["arguments", "t"],
  ],
  "queue.delete": [
    ["_ticket", "n"],
    ["queue", "s"],
    ["if-unused", "b"],
    ["if-empty", "b"],
    ["no-wait", "b"],
  ],
  "basic.qos": [
    ["prefetch-size", "l"],
    ["prefetch-count", "n"],
    ["global", "b"],
  ],
  "basic.consume": [
    ["_ticket", "n"],
    ["queue", "s"],
    ["consumer-tag", "s"],
    ["no-local", "b"],
    ["no-ack", "b"],
    ["exclusive", "b"],
    ["no-wait", "b"],
    ["arguments", "t"],
  ],
  "basic.consume-ok": [["consumer-tag", "s"]],
  "basic.cancel": [
    ["consumer-tag", "s"],
    ["no-wait", "b"],
  ],
  "basic.cancel-ok": [["consumer-tag", "s"]],
  "basic.publish": [
    ["_ticket", "n"],
    ["exchange", "s"],
    ["routing-key", "s"],
    ["mandatory", "b"],
    ["immediate", "b"],
  ],
  "basic.return": [
    ["reply-code", "n"],
    ["reply-text", "s"],
    ["exchange", "s"],
    ["routing-key", "s"],
  ],
  "basic.deliver": [
    ["consumer-tag", "s"],
    ["delivery-tag", "L"],
    ["redelivered", "b"],
    ["exchange", "s"],
    ["routing-key", "s"],
  ],
  "basic.get": [
    ["_ticket", "n"],
    ["queue", "s"],
    ["no-ack", "b"],
  ],
  "basic.ack": [
    ["delivery-tag", "L"],
    ["multiple", "b"],
  ],
  "basic.reject": [
    ["delivery-tag", "L"],
    ["requeue", "b"],
  ],
  "basic.nack": [
    ["delivery-tag", "L"],
    ["multiple", "b"],
    ["requeue", "b"],
  ],
};

const NAMES: Record<number, [string, Record<number, string>]> = {
  10: [
    "connection",
    {
      10: "start",
      11: "start-ok",
      20: "secure",
      21: "secure-ok",
      30: "tune",
      31: "tune-ok",
      40: "open",
      41: "open-ok",
      50: "close",
      51: "close-ok",
      60: "blocked",
      61: "unblocked",
    },
  ],
  20: [
    "channel",
    { 10: "open", 11: "open-ok", 20: "flow", 21: "flow-ok", 40: "close", 41: "close-ok" },
  ],
  40: [
    "exchange",
    {
      10: "declare",
      11: "declare-ok",
      20: "delete",
      21: "delete-ok",
      30: "bind",
      31: "bind-ok",
      40: "unbind",
      51: "unbind-ok",
    },
  ],
  50: [
    "queue",
    {
      10: "declare",
      11: "declare-ok",
      20: "bind",
      21: "bind-ok",
      30: "purge",
      31: "purge-ok",
      40: "delete",
      41: "delete-ok",
      50: "unbind",
      51: "unbind-ok",
    },
  ],
  60: [
    "basic",
    {
      10: "qos",
      11: "qos-ok",
      20: "consume",
      21: "consume-ok",
      30: "cancel",
      31: "cancel-ok",
      40: "publish",
      50: "return",
      60: "deliver",
      70: "get",
      71: "get-ok",
      72: "get-empty",
      80: "ack",
      90: "reject",
      100: "recover-async",
      110: "recover",
      111: "recover-ok",
      120: "nack",
    },
  ],
  85: ["confirm", { 10: "select", 11: "select-ok" }],
  90: [
    "tx",
    {
      10: "select",
      11: "select-ok",
      20: "commit",
      21: "commit-ok",
      30: "rollback",
      31: "rollback-ok",
    },
  ],
};

export function methodSpec(classId: number, methodId: number): MethodSpec {
  const entry = NAMES[classId];
  const method = entry?.[1][methodId];
  const name = entry && method ? `${entry[0]}.${method}` : `method ${classId}.${methodId}`;
  return { name, args: SPECS[name] ?? [] };
}

/** Basic properties of a content header, by flag bit from 15 down. */
export const PROPERTIES: [string, "o" | "L" | "s" | "t"][] = [
  ["content-type", "s"],
  ["content-encoding", "s"],
  ["headers", "t"],
  ["delivery-mode", "o"],
  ["priority", "o"],
  ["correlation-id", "s"],
  ["reply-to", "s"],
  ["expiration", "s"],
  ["message-id", "s"],
  ["timestamp", "L"],
  ["type", "s"],
  ["user-id", "s"],
  ["app-id", "s"],
  ["cluster-id", "s"],
];
