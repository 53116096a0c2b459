import { beforeAll, describe, expect, it } from "vitest";
import { requirePython, SYSTEM_PYTHON } from "../shared/testing/python.js";
import { tester } from "../scripts/tester/tester.js";

// `npm run tester` against the systems of the articles, each a small server in
// interop/tester/ that serves the calculator on $PORT: a real system that speaks the protocol
// passes every stage of its lesson.
//
//   tester ──(proxy)──▶ jsonrpclib (5) · SimpleXMLRPCServer (6) · pyzmq + msgpack (7) · grpcio (11)

beforeAll(() => {
  requirePython({
    modules: ["jsonrpclib", "zmq", "msgpack", "grpc"],
    debianPackage: "python3-jsonrpclib-pelix python3-zmq python3-msgpack python3-grpcio",
  });
});

async function runTester(args: string[]) {
  const lines: string[] = [];
  const code = await tester(args, (line) => lines.push(line));
  return { code, text: lines.join("\n") };
}

describe.concurrent("npm run tester against the seeds' systems", () => {
  it.each([
    ["5", "05-jsonrpclib-server.py", "jsonrpclib's server"],
    ["6", "06-xmlrpc-server.py", "Python's SimpleXMLRPCServer"],
    ["7", "07-zerorpc-server.py", "a pyzmq + msgpack zerorpc server"],
    ["11", "11-grpcio-server.py", "a grpcio server"],
  ])("passes lesson %s with %s (%s)", { timeout: 90_000 }, async (lesson, script) => {
    const run = await runTester([lesson, SYSTEM_PYTHON, `interop/tester/${script}`]);
    expect(run.text).toMatch(/all \d+ stages passed/);
    expect(run.code).toBe(0);
  });
});
