import { describe, expect, it } from "vitest";
import { calculator, DivisionByZeroError, type Calculator } from "../../shared/calculator.js";
import { RpcError } from "../../shared/rpc-error.js";
import { ClientStub } from "./client-stub.js";
import { inMemoryWire } from "./in-memory-wire.js";
import { decodeReply, encodeCall, Kind } from "./messages.js";
import { Registry } from "./registry.js";
import { ServerStub } from "./server-stub.js";
import { createStub } from "./stub.js";

/** A client stub and a server stub joined by the in-memory wire; `seen` lists what crossed. */
function connected(service: object = calculator, clientRegistry = Registry.fromService(service)) {
  const seen: { direction: string; bytes: Buffer }[] = [];
  const server = new ServerStub(Registry.fromService(service));
  const wire = inMemoryWire(server, (direction, bytes) => seen.push({ direction, bytes }));
  return { client: new ClientStub(clientRegistry, wire), server, seen };
}

describe("task 5: client stub and server stub", () => {
  it("calls a function on the other side and returns its result", async () => {
    const { client } = connected();
    expect(await client.call("add", [1, 2])).toBe(3);
    await expect(client.call("subtract", [5, 3]), "argument order must survive").resolves.toBe(2);
    await expect(client.call("hello", ["世界"])).resolves.toBe("Hello, 世界!");
  });

  it("sends only bytes: a call with the call ID, back a reply", async () => {
    const { client, seen } = connected();
    await client.call("add", [1, 2]);
    expect(seen.map((s) => s.direction)).toEqual(["request", "reply"]);
    const request = seen[0]!.bytes;
    expect(request[0], "the request is an encoded call").toBe(Kind.Call);
    expect(request.readUInt32BE(1), "the call carries add's ID, not its name").toBe(
      Registry.fromService(calculator).byName("add").id,
    );
    expect(decodeReply(seen[1]!.bytes)).toEqual({ ok: true, result: 3 });
  });

  it("brings a thrown error back as an RpcError that names it", async () => {
    const { client } = connected();
    const error = await client.call("divide", [1, 0]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({
      code: "remote_error",
      remoteName: "DivisionByZeroError",
      message: "division by zero",
    });
    expect(error).not.toBeInstanceOf(DivisionByZeroError);
  });

  it("refuses unknown and inherited names on the client, before anything is sent", async () => {
    const { client, seen } = connected();
    for (const name of ["power", "__proto__", "constructor", "toString", "hasOwnProperty"]) {
      await expect(client.call(name, [])).rejects.toMatchObject({ code: "unknown_method" });
    }
    expect(seen, "an unknown name never reaches the wire").toEqual([]);
  });

  it("answers an unknown call ID and broken bytes with an error reply, never a throw", async () => {
    const { server } = connected();
    const unknown = decodeReply(await server.handle(encodeCall({ callId: 999, args: [] })));
    expect(unknown).toMatchObject({ ok: false, error: { code: "unknown_method" } });
    const garbage = decodeReply(await server.handle(Uint8Array.of(0xde, 0xad, 0xbe, 0xef)));
    expect(garbage).toMatchObject({ ok: false, error: { code: "bad_message" } });
  });

  it("reports a result that cannot be serialized instead of crashing", async () => {
    const { client } = connected({ makeMap: () => new Map() });
    await expect(client.call("makeMap", [])).rejects.toMatchObject({ code: "internal" });
  });

  it("carries bytes and special numbers that JSON would lose", async () => {
    const { client } = connected({ echo: (value: unknown) => value });
    const value = [Uint8Array.of(0, 1, 255), NaN, -0, Infinity, undefined, new Date(0)];
    await expect(client.call("echo", [value])).resolves.toStrictEqual(value);
  });

  it("passes copies: the server cannot change the caller's objects", async () => {
    const { client } = connected({ grow: (list: number[]) => list.push(99) });
    const mine = [1, 2];
    await expect(client.call("grow", [mine])).resolves.toBe(3);
    expect(mine).toEqual([1, 2]);
  });

  it("calls the wrong function when the two tables disagree on an ID", async () => {
    // The server numbers methods by sorted name: add 1, divide 2, hello 3, multiply 4,
    // subtract 5. A client that pins add to 5 sends subtract's ID.
    const { client } = connected(
      calculator,
      Registry.fromService(calculator, { add: 5, subtract: 1 }),
    );
    await expect(client.call("add", [5, 3]), "5 − 3: subtract ran instead of add").resolves.toBe(2);
  });
});

describe("task 6: a stub that looks local", () => {
  it("turns every method call into invoke(name, args) and returns its promise", async () => {
    const calls: [string, unknown[]][] = [];
    const calc = createStub<Calculator>(async (method, args) => {
      calls.push([method, args]);
      return 42;
    });
    await expect(calc.add(1, 2)).resolves.toBe(42);
    await expect(calc.hello("Ada")).resolves.toBe(42);
    expect(calls).toEqual([
      ["add", [1, 2]],
      ["hello", ["Ada"]],
    ]);
  });

  it("is not mistaken for a promise by await", async () => {
    const calc = createStub<Calculator>(async () => 0);
    expect((calc as unknown as { then?: unknown }).then, "return undefined for 'then'").toBe(
      undefined,
    );
    await expect(Promise.resolve(calc)).resolves.toBe(calc);
  });

  it("makes calc.add(1, 2) a remote call through every step", async () => {
    const { client, seen } = connected();
    const calc = client.stub<Calculator>();
    await expect(calc.add(1, 2)).resolves.toBe(3);
    await expect(calc.multiply(6, 7)).resolves.toBe(42);
    await expect(calc.divide(1, 0)).rejects.toMatchObject({ remoteName: "DivisionByZeroError" });
    expect(seen.length, "each call crossed the wire and came back").toBe(6);
  });
});
