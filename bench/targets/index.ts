/**
 * Every row the benchmark can measure. References are written here, in bench/targets/; the
 * lessons' rows load the reference solutions from solutions/ and are simply left out, with a
 * note, while a solution is not in the tree.
 */

export type Group = "tcp" | "http" | "json-rpc" | "xml-rpc" | "zeromq" | "amqp";

export interface Goal {
  /** Compared with the floor, or with the library row of the same group. */
  against: "floor" | "library";
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
   *  solution: a lesson's reference solution. */
  kind: "floor" | "library" | "variant" | "solution";
  /** The adapter, relative to bench/targets/. */
  file: string;
  /** The lesson the row belongs to, e.g. "03-raw-tcp". */
  lesson?: string;
  /** Files (relative to the course root) that must exist for the row to run. */
  requires?: string[];
  /** Needs a RabbitMQ broker. */
  broker?: boolean;
  /** Runs only at these concurrencies (e.g. a new connection per call: one at a time). */
  concurrency?: number[];
  goals?: Goal[];
}

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
  // JSON-RPC 2.0.
  {
    id: "jayson",
    label: "jayson (JSON-RPC 2.0)",
    group: "json-rpc",
    kind: "library",
    file: "jayson.ts",
  },
  // XML-RPC.
  {
    id: "xmlrpc-npm",
    label: "npm xmlrpc",
    group: "xml-rpc",
    kind: "library",
    file: "xmlrpc-npm.ts",
  },
  // ZeroMQ.
  {
    id: "zeromq-bare",
    label: "zeromq Dealer/Router, bare",
    group: "zeromq",
    kind: "library",
    file: "zeromq-bare.ts",
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
];
