import { afterEach, describe, expect, it } from "vitest";
import { calculator } from "../../shared/calculator.js";
import { gate, RawClient, requireEvents } from "./raw-peers.js";
import { serveZeroRpc, type ServeOptions } from "./server.js";

// The server is checked at the protocol level: RawClient is a DEALER that sends zerorpc events
// written by hand, [empty frame, msgpack [header, name, args]], and reads the replies raw.

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function start(service: object = calculator, options: ServeOptions = {}) {
  requireEvents();
  const server = await serveZeroRpc(service, options);
  cleanup.push(() => server.close());
  return server;
}

function rawClient(endpoint: string): RawClient {
  const client = new RawClient(endpoint);
  cleanup.push(() => client.close());
  return client;
}

describe("task 4: a zerorpc server", () => {
  it("answers a call with OK [result], response_to set to the call's message_id", async () => {
    const server = await start();
    expect(server.endpoint, "bind, then report the socket's lastEndpoint").toMatch(
      /^tcp:\/\/127\.0\.0\.1:\d+$/,
    );
    const client = rawClient(server.endpoint);
    await client.send({ message_id: "call-1", v: 3 }, "add", [11, 33]);
    const [header, name, args] = await client.receiveReply();
    expect(name).toBe("OK");
    expect(args, "OK carries [result]: the result wrapped in an array").toEqual([44]);
    expect(header.response_to, "the reply names its call").toBe("call-1");
    expect(header.v).toBe(3);
    expect(Object.keys(header), "a reply header: message_id, v, response_to").toEqual([
      "message_id",
      "v",
      "response_to",
    ]);
    expect(header.message_id, "every event has its own message_id").not.toBe("call-1");
  });

  it("echoes a bytes message_id as bytes, the way zerorpc-python sends it", async () => {
    const client = rawClient((await start()).endpoint);
    const id = new Uint8Array(Buffer.from("0000002a5f1c9e3b7d6a4e21b8c0f9d3"));
    await client.send({ message_id: id, v: 3 }, "hello", ["RPC"]);
    const [header, name, args] = await client.receiveReply();
    expect([name, args]).toEqual(["OK", ["Hello, RPC!"]]);
    expect(header.response_to, "echo the id unchanged: bin stays bin").toBeInstanceOf(Uint8Array);
    expect(Buffer.from(header.response_to as Uint8Array)).toEqual(Buffer.from(id));
  });

  it("answers a thrown error with ERR [name, message, traceback]", async () => {
    const client = rawClient((await start()).endpoint);
    await client.send({ message_id: "d", v: 3 }, "divide", [1, 0]);
    const [header, name, args] = await client.receiveReply();
    expect(header.response_to).toBe("d");
    expect(name).toBe("ERR");
    const [errorName, message, traceback] = args as unknown[];
    expect([errorName, message]).toEqual(["DivisionByZeroError", "division by zero"]);
    expect(typeof traceback, "the third item is a traceback string").toBe("string");
  });

  it.each(["power", "__proto__", "constructor", "toString", "_secret"])(
    "answers the unknown method %s with ERR NameError",
    async (method) => {
      const client = rawClient((await start({ ...calculator, _secret: () => 42 })).endpoint);
      await client.send({ message_id: "u", v: 3 }, method, []);
      const [, name, args] = await client.receiveReply();
      expect(name).toBe("ERR");
      expect((args as unknown[])[0], "zerorpc-python raises NameError(method)").toBe("NameError");
    },
  );

  it("answers args that are not an array with ERR, not a crash", async () => {
    const client = rawClient((await start()).endpoint);
    await client.send({ message_id: "a", v: 3 }, "add", 42);
    const [, name, args] = await client.receiveReply();
    expect(name).toBe("ERR");
    expect((args as unknown[])[0]).toBe("TypeError");
  });

  it("answers _zerorpc_help and _zerorpc_args as a zerorpc server does", async () => {
    const client = rawClient((await start()).endpoint);
    await client.send({ message_id: "h", v: 3 }, "_zerorpc_help", ["add"]);
    const [, helpName, helpArgs] = await client.receiveReply();
    expect([helpName, helpArgs], "a docstring; JavaScript has none: nil").toEqual(["OK", [null]]);
    await client.send({ message_id: "g", v: 3 }, "_zerorpc_args", ["add"]);
    const [, argsName, argsArgs] = await client.receiveReply();
    expect([argsName, argsArgs], "getargspec's shape").toEqual([
      "OK",
      [[["a", "b"], null, null, null]],
    ]);
  });

  it("lists its methods and their arguments with _zerorpc_inspect", async () => {
    const client = rawClient((await start(calculator, { name: "calculator" })).endpoint);
    await client.send({ message_id: "i", v: 3 }, "_zerorpc_inspect", []);
    const [, name, args] = await client.receiveReply();
    expect(name).toBe("OK");
    const [inspection] = args as [{ name: string; methods: Record<string, unknown> }];
    expect(inspection.name).toBe("calculator");
    expect(Object.keys(inspection.methods).sort()).toEqual([
      "add",
      "divide",
      "hello",
      "multiply",
      "subtract",
    ]);
    expect(inspection.methods.add).toEqual({ args: [{ name: "a" }, { name: "b" }], doc: null });
  });

  it("answers calls in flight in the order they finish, each to its own client", async () => {
    // alice ──wait("slow")──▶ server          (waits for the test to open the gate)
    // bob   ──add(1, 2)────▶ server ──OK 3──▶ bob
    //                         gate opens  ──OK "slow"──▶ alice
    const slow = gate();
    const service = { ...calculator, wait: async (tag: string) => (await slow.promise, tag) };
    const server = await start(service);
    const alice = rawClient(server.endpoint);
    const bob = rawClient(server.endpoint);
    await alice.send({ message_id: "same-id", v: 3 }, "wait", ["slow"]);
    await bob.send({ message_id: "same-id", v: 3 }, "add", [1, 2]);
    expect(await bob.receiveReply(), "bob must not wait for alice").toMatchObject([
      { response_to: "same-id" },
      "OK",
      [3],
    ]);
    slow.open();
    expect(await alice.receiveReply()).toMatchObject([{ response_to: "same-id" }, "OK", ["slow"]]);
  });

  it("drops garbage, logs why, and keeps serving everyone", async () => {
    const log: string[] = [];
    const server = await start(calculator, { log: (line) => log.push(line) });
    const vandal = rawClient(server.endpoint);
    await vandal.sendFrames(["not a delimiter", "payload"]);
    await vandal.sendFrames(["", Buffer.from([0xc1])]);
    await vandal.sendFrames(["", "a", "b"]);
    await vandal.send({ v: 3 }, "add", [1, 2]); // no message_id: nothing to answer to
    await vandal.send({ message_id: "x", v: 3 }, 42, []);
    await vandal.send({ message_id: "y", v: 3, response_to: "nobody" }, "_zpc_more", [10]);
    await vandal.send({ message_id: "z", v: 3 }, "_zpc_hb", [0]);
    await vandal.send({ message_id: "ok", v: 3 }, "add", [2, 2]);
    expect(await vandal.receiveReply(), "every bad message above gets no reply").toMatchObject([
      { response_to: "ok" },
      "OK",
      [4],
    ]);
    expect(log.length, "pass a line to options.log for each dropped message").toBe(7);

    const other = rawClient(server.endpoint);
    await other.send({ message_id: "fine", v: 3 }, "multiply", [6, 7]);
    expect(await other.receiveReply()).toMatchObject([{ response_to: "fine" }, "OK", [42]]);
  });
});
