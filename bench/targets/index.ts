/**
 * Every row the benchmark can measure. References are written here, in bench/targets/; the
 * lessons' rows load the reference solutions from solutions/ and are simply left out, with a
 * note, while a solution is not in the tree.
 */

export type Group =
  "tcp" | "http" | "json-rpc" | "xml-rpc" | "zeromq" | "amqp" | "grpc" | "mcp-http" | "mcp-stdio";

export interface Goal {
  /** Compared with the floor, the library row of the same group, or a row by its id. */
  against: "floor" | "library" | (string & {});
  ratio: number;
  /** Only at this many calls in flight; at every concurrency when absent. */
  concurrency?: number;
}

export interface TargetInfo {
  id: string;
  label: string;
  group: Group;
  /** floor: the bare minimum; library: the well-known package for the protocol (or bare API);
   *  variant: a reference with one thing changed, to show what that thing costs;
   *  solution: a lesson's reference solution;
   *  seed: the system the articles use for the protocol (Python), the "× seed system" baseline;
   *  mixed: a lesson's side paired with the seed system's other side. */
  kind: "floor" | "library" | "variant" | "solution" | "seed" | "mixed";
  /** The adapter, relative to bench/targets/. */
  file: string;
  /** The lesson the row belongs to, e.g. "03-raw-tcp". */
  lesson?: string;
  /** Files (relative to the course root) that must exist for the row to run. */
  requires?: string[];
  /** Python modules the row runs with /usr/bin/python3, and the Debian package that has them. */
  python?: { modules: string[]; debianPackage: string };
  /** Needs a RabbitMQ broker. */
  broker?: boolean;
  /** Runs only at these concurrencies (e.g. a new connection per call: one at a time). */
  concurrency?: number[];
  goals?: Goal[];
}

const PYTHON_XMLRPC = { modules: ["xmlrpc.client"], debianPackage: "python3" };
const JSONRPCLIB = { modules: ["jsonrpclib"], debianPackage: "python3-jsonrpclib-pelix" };
const PYZMQ = { modules: ["zmq", "msgpack"], debianPackage: "python3-zmq python3-msgpack" };
const OSLO = { modules: ["oslo_messaging"], debianPackage: "python3-oslo.messaging" };

export const TARGETS: TargetInfo[] = [
  // Raw TCP: the floor, and what batching writes is worth.
  {
    id: "net-floor",
    label: "node:net ping-pong (floor)",
    group: "tcp",
    kind: "floor",
    file: "net-floor.ts",
  },
  {
    id: "net-unbatched",
    label: "node:net, one write per frame",
    group: "tcp",
    kind: "variant",
    file: "net-unbatched.ts",
  },
  {
    id: "lesson-03",
    label: "lesson 3: raw TCP",
    group: "tcp",
    kind: "solution",
    lesson: "03-raw-tcp",
    file: "lesson-03-raw-tcp.ts",
    requires: ["solutions/03-raw-tcp/server.ts", "solutions/03-raw-tcp/client.ts"],
    goals: [
      { against: "floor", ratio: 0.8, concurrency: 1 },
      { against: "floor", ratio: 0.6, concurrency: 64 },
    ],
  },
  // HTTP.
  {
    id: "node-http",
    label: "node:http keep-alive JSON",
    group: "http",
    kind: "library",
    file: "node-http.ts",
  },
  {
    id: "http-no-keep-alive",
    label: "node:http, new connection per call",
    group: "http",
    kind: "variant",
    file: "http-no-keep-alive.ts",
    // Thousands of closed connections a second: kept to one at a time.
    concurrency: [1],
  },
  {
    id: "lesson-04",
    label: "lesson 4: HTTP POST /rpc",
    group: "http",
    kind: "solution",
    lesson: "04-http",
    file: "lesson-04-http.ts",
    requires: ["solutions/04-http/server.ts", "solutions/04-http/client.ts"],
  },
  // JSON-RPC 2.0.
  {
    id: "jayson",
    label: "jayson (JSON-RPC 2.0)",
    group: "json-rpc",
    kind: "library",
    file: "jayson.ts",
  },
  {
    id: "lesson-05",
    label: "lesson 5: JSON-RPC 2.0",
    group: "json-rpc",
    kind: "solution",
    lesson: "05-json-rpc",
    file: "lesson-05-json-rpc.ts",
    requires: ["solutions/05-json-rpc/server.ts", "solutions/05-json-rpc/client.ts"],
    goals: [{ against: "library", ratio: 1 }],
  },
  {
    id: "seed-jsonrpclib",
    label: "Python jsonrpclib (pooled server)",
    group: "json-rpc",
    kind: "seed",
    file: "seed-jsonrpclib.ts",
    python: JSONRPCLIB,
  },
  // XML-RPC.
  {
    id: "xmlrpc-npm",
    label: "npm xmlrpc",
    group: "xml-rpc",
    kind: "library",
    file: "xmlrpc-npm.ts",
  },
  {
    id: "lesson-06",
    label: "lesson 6: XML-RPC",
    group: "xml-rpc",
    kind: "solution",
    lesson: "06-xml-rpc",
    file: "lesson-06-xml-rpc.ts",
    requires: ["solutions/06-xml-rpc/server.ts", "solutions/06-xml-rpc/client.ts"],
    goals: [{ against: "library", ratio: 2 }],
  },
  {
    id: "seed-xmlrpc",
    label: "Python xmlrpc (SimpleXMLRPCServer)",
    group: "xml-rpc",
    kind: "seed",
    file: "seed-xmlrpc.ts",
    python: PYTHON_XMLRPC,
  },
  {
    id: "seed-xmlrpc-threading",
    label: "Python xmlrpc, ThreadingMixIn server",
    group: "xml-rpc",
    kind: "variant",
    file: "seed-xmlrpc-threading.ts",
    python: PYTHON_XMLRPC,
  },
  {
    id: "mixed-xmlrpc-course-client",
    label: "lesson 6 client → Python server (threading)",
    group: "xml-rpc",
    kind: "mixed",
    lesson: "06-xml-rpc",
    file: "mixed-xmlrpc-course-client.ts",
    requires: ["solutions/06-xml-rpc/client.ts"],
    python: PYTHON_XMLRPC,
  },
  {
    id: "mixed-xmlrpc-python-client",
    label: "Python client → lesson 6 server",
    group: "xml-rpc",
    kind: "mixed",
    lesson: "06-xml-rpc",
    file: "mixed-xmlrpc-python-client.ts",
    requires: ["solutions/06-xml-rpc/server.ts"],
    python: PYTHON_XMLRPC,
  },
  // ZeroMQ.
  {
    id: "zeromq-bare",
    label: "zeromq Dealer/Router, bare",
    group: "zeromq",
    kind: "library",
    file: "zeromq-bare.ts",
  },
  {
    id: "zeromq-zerorpc-events",
    label: "zeromq bare, carrying zerorpc's msgpack events",
    group: "zeromq",
    kind: "variant",
    file: "zeromq-zerorpc-events.ts",
  },
  {
    id: "lesson-07",
    label: "lesson 7: zerorpc",
    group: "zeromq",
    kind: "solution",
    lesson: "07-zeromq",
    file: "lesson-07-zerorpc.ts",
    requires: ["solutions/07-zeromq/server.ts", "solutions/07-zeromq/client.ts"],
    goals: [
      { against: "zeromq-zerorpc-events", ratio: 0.9, concurrency: 64 },
      { against: "library", ratio: 0.7, concurrency: 64 },
    ],
  },
  {
    id: "seed-zerorpc",
    label: "Python zerorpc protocol (pyzmq + msgpack)",
    group: "zeromq",
    kind: "seed",
    file: "seed-zerorpc.ts",
    python: PYZMQ,
  },
  // gRPC: one HTTP/2 connection, a stream per call.
  { id: "grpc-js", label: "@grpc/grpc-js", group: "grpc", kind: "library", file: "grpc-js.ts" },
  {
    id: "lesson-11",
    label: "lesson 11: gRPC by hand",
    group: "grpc",
    kind: "solution",
    lesson: "11-grpc",
    file: "lesson-11-grpc.ts",
    requires: ["solutions/11-grpc/server.ts", "solutions/11-grpc/client.ts"],
    goals: [{ against: "library", ratio: 1, concurrency: 64 }],
  },
  // MCP: tools/call add, the SDK's server and the lesson's, driven by the lesson's client.
  {
    id: "sdk-mcp-http",
    label: "MCP SDK server, Streamable HTTP",
    group: "mcp-http",
    kind: "library",
    file: "sdk-mcp-http.ts",
  },
  {
    id: "lesson-12-http",
    label: "lesson 12: MCP over Streamable HTTP",
    group: "mcp-http",
    kind: "solution",
    lesson: "12-mcp",
    file: "lesson-12-mcp-http.ts",
    requires: ["solutions/12-mcp/http-server.ts", "solutions/12-mcp/server.ts"],
    goals: [{ against: "library", ratio: 1 }],
  },
  {
    id: "sdk-mcp-stdio",
    label: "MCP SDK server, stdio",
    group: "mcp-stdio",
    kind: "library",
    file: "sdk-mcp-stdio.ts",
  },
  {
    id: "lesson-12-stdio",
    label: "lesson 12: MCP over stdio",
    group: "mcp-stdio",
    kind: "solution",
    lesson: "12-mcp",
    file: "lesson-12-mcp-stdio.ts",
    requires: ["solutions/12-mcp/server.ts", "solutions/12-mcp/stdio.ts"],
    goals: [{ against: "library", ratio: 1 }],
  },
  // AMQP.
  {
    id: "amqplib-bare",
    label: "amqplib direct reply-to, bare",
    group: "amqp",
    kind: "library",
    file: "amqplib-bare.ts",
    broker: true,
  },
  {
    id: "amqplib-nagle",
    label: "amqplib, Nagle on (no noDelay)",
    group: "amqp",
    kind: "variant",
    file: "amqplib-nagle.ts",
    broker: true,
  },
  {
    id: "amqplib-confirm",
    label: "amqplib, reply confirmed before ack",
    group: "amqp",
    kind: "variant",
    file: "amqplib-confirm.ts",
    broker: true,
  },
  {
    id: "amqplib-oslo",
    label: "amqplib carrying oslo's envelope, reply queue and confirms",
    group: "amqp",
    kind: "variant",
    file: "amqplib-oslo-envelope.ts",
    broker: true,
  },
  {
    id: "lesson-09-call",
    label: "lesson 9: oslo-style call",
    group: "amqp",
    kind: "solution",
    lesson: "09-amqp-rpc",
    file: "lesson-09-amqp-rpc.ts",
    requires: ["solutions/09-amqp-rpc/rpc-server.ts", "solutions/09-amqp-rpc/rpc-client.ts"],
    broker: true,
    goals: [
      { against: "library", ratio: 0.8 },
      { against: "amqplib-oslo", ratio: 0.9 },
    ],
  },
  {
    id: "lesson-09-cast",
    label: "lesson 9: oslo-style cast (one-way)",
    group: "amqp",
    kind: "solution",
    lesson: "09-amqp-rpc",
    file: "lesson-09-amqp-cast.ts",
    requires: ["solutions/09-amqp-rpc/rpc-server.ts", "solutions/09-amqp-rpc/rpc-client.ts"],
    broker: true,
    goals: [{ against: "library", ratio: 0.8 }],
  },
  {
    id: "seed-oslo",
    label: "Python oslo.messaging call",
    group: "amqp",
    kind: "seed",
    file: "seed-oslo.ts",
    python: OSLO,
    broker: true,
  },
  {
    id: "mixed-oslo-course-client",
    label: "lesson 9 client → oslo.messaging server",
    group: "amqp",
    kind: "mixed",
    lesson: "09-amqp-rpc",
    file: "mixed-oslo-course-client.ts",
    requires: ["solutions/09-amqp-rpc/rpc-client.ts"],
    python: OSLO,
    broker: true,
  },
  {
    id: "mixed-oslo-python-client",
    label: "oslo.messaging client → lesson 9 server",
    group: "amqp",
    kind: "mixed",
    lesson: "09-amqp-rpc",
    file: "mixed-oslo-python-client.ts",
    requires: ["solutions/09-amqp-rpc/rpc-server.ts"],
    python: OSLO,
    broker: true,
  },
];
