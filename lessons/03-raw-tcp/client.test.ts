import { execFile } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import { calculator, type Calculator } from "../../shared/calculator.js";
import { RpcError } from "../../shared/rpc-error.js";
import { connect, type TcpClient } from "./client.js";
import { gate, later, startServer } from "./testing.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

async function connected(port: number, service: object = calculator): Promise<TcpClient> {
  const client = await connect(`tcp://127.0.0.1:${port}`, {
    registry: Registry.fromService(service),
  });
  later(() => client.close());
  return client;
}

describe("task 5: a client with many calls in flight", () => {
  it("calls the server and returns results and errors", async () => {
    const { port } = await startServer(calculator);
    const client = await connected(port);
    await expect(client.call("add", [1, 2])).resolves.toBe(3);
    await expect(client.call("subtract", [5, 3])).resolves.toBe(2);
    await expect(client.call("divide", [1, 0])).rejects.toMatchObject({
      code: "remote_error",
      remoteName: "DivisionByZeroError",
    });
    const calc = client.stub<Calculator>();
    await expect(calc.hello("Ada")).resolves.toBe("Hello, Ada!");
  });

  it("connects with { host, port } and uses the calculator's table by default", async () => {
    const { host, port } = await startServer(calculator);
    const client = await connect({ host, port });
    later(() => client.close());
    await expect(client.call("multiply", [6, 7])).resolves.toBe(42);
  });

  it("pipelines a thousand calls on one connection", async () => {
    const { port, accepted } = await startServer(calculator);
    const client = await connected(port);
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => client.call("add", [i, i])),
    );
    expect(results).toEqual(Array.from({ length: 1000 }, (_, i) => 2 * i));
    expect(accepted, "every call shared one long-lived connection").toHaveLength(1);
  });

  it("matches replies that come back out of order to their callers", async () => {
    const slow = gate();
    const service = { slow: (x: number) => slow.wait.then(() => x), add: calculator.add };
    const { port } = await startServer(service);
    const client = await connected(port, service);
    const first = client.call("slow", ["first"]);
    await expect(client.call("add", [1, 1])).resolves.toBe(2);
    expect(client.inFlight, "the slow call is still waiting").toBe(1);
    slow.open();
    await expect(first).resolves.toBe("first");
  });

  it("gives up on a call after timeoutMs, and the connection stays usable", async () => {
    const slow = gate();
    const service = { slow: () => slow.wait.then(() => "late"), add: calculator.add };
    const { port } = await startServer(service);
    const client = await connected(port, service);
    await expect(client.call("slow", [], { timeoutMs: 20 })).rejects.toMatchObject({
      code: "deadline_exceeded",
    });
    slow.open(); // the late reply arrives for nobody and is dropped
    await expect(client.call("add", [2, 3])).resolves.toBe(5);
  });

  it("stops waiting when the caller's signal aborts", async () => {
    const slow = gate();
    const service = { slow: () => slow.wait };
    const { port } = await startServer(service);
    const client = await connected(port, service);
    const controller = new AbortController();
    const call = client.call("slow", [], { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: "canceled" });
    slow.open();
  });

  it("refuses unknown and inherited method names before sending", async () => {
    const { port } = await startServer(calculator);
    const client = await connected(port);
    for (const name of ["power", "__proto__", "constructor", "toString"]) {
      await expect(client.call(name, [])).rejects.toMatchObject({ code: "unknown_method" });
    }
    await expect(client.call("add", [1, 1])).resolves.toBe(2);
  });

  it("rejects every pending call when the connection drops", async () => {
    const never = gate();
    const allStarted = gate();
    let started = 0;
    const service = {
      hang: () => {
        if (++started === 3) allStarted.open();
        return never.wait;
      },
    };
    const { port, accepted } = await startServer(service);
    const client = await connected(port, service);
    const calls = [1, 2, 3].map(() => client.call("hang", []));
    await allStarted.wait; // all three calls are running on the server
    accepted[0]!.destroy(); // the server's side of the connection goes away
    for (const call of calls) {
      const error = await call.catch((e: unknown) => e);
      expect(error, "a dropped connection fails each call with an RpcError").toBeInstanceOf(
        RpcError,
      );
      expect((error as RpcError).code).toBe("unavailable");
    }
    await expect(
      client.call("hang", []),
      "a call after the drop fails at once",
    ).rejects.toMatchObject({
      code: "unavailable",
    });
    never.open();
  });

  it("refuses a call whose signal has already aborted, with canceled and nothing sent", async () => {
    const { port, log } = await startServer(calculator);
    const client = await connected(port);
    const error = await client.call("add", [1, 2], { signal: AbortSignal.abort() }).catch((e) => e);
    expect(error, "an RpcError, not the signal's DOMException").toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: "canceled" });
    await expect(client.call("add", [2, 2])).resolves.toBe(4);
    expect(log).toEqual([]);
  });

  it("treats timeoutMs: Infinity as no deadline, and caps a huge one", async () => {
    const slow = gate();
    const service = { slow: () => slow.wait.then(() => "done") };
    const { port } = await startServer(service);
    const client = await connected(port, service);
    const forever = client.call("slow", [], { timeoutMs: Infinity });
    const huge = client.call("slow", [], { timeoutMs: 2 ** 40 });
    // A round trip later both must still be waiting: a timer given Infinity fires after 1 ms.
    await expect(client.call("slow", [], { timeoutMs: 1 })).rejects.toMatchObject({
      code: "deadline_exceeded",
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(client.inFlight, "neither call gave up").toBe(2);
    slow.open();
    await expect(forever).resolves.toBe("done");
    await expect(huge).resolves.toBe("done");
  });

  it("names the server it lost in the error, not undefined:undefined", async () => {
    const never = gate();
    const started = gate();
    const service = { hang: () => (started.open(), never.wait) };
    const { port, accepted } = await startServer(service);
    const client = await connected(port, service);
    const call = client.call("hang", []);
    await started.wait;
    accepted[0]!.destroy();
    const error = (await call.catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).not.toContain("undefined");
    never.open();
  });

  // A whole Node process with a TypeScript loader: seconds, so `npm run lesson 3 -- --full`.
  it("closes so that a program that used it exits by itself", { tags: ["slow"] }, async () => {
    const { port } = await startServer(calculator);
    const tree = process.env.COURSE_TREE === "solutions" ? "solutions" : "lessons";
    const program = [
      `import { connect } from "./${tree}/03-raw-tcp/client.ts";`,
      `const client = await connect("tcp://127.0.0.1:${port}");`,
      `console.log(await client.call("add", [1, 2]));`,
      `await client.close();`,
    ].join("\n");
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", program],
      { cwd: ROOT, timeout: 30_000 },
    );
    expect(stdout.trim(), "the call printed its result and the process ended").toBe("3");
  });
});

describe("given code (not a task): connect", () => {
  it("says clearly when nobody listens on that port", async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const error = await connect(`tcp://127.0.0.1:${port}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: "unavailable" });
    expect((error as Error).message).toMatch(/refused/);
  });
});
