import { describe, expect, it } from "vitest";
import { RpcError } from "../../shared/rpc-error.js";
import { calculatorEndpoint } from "../../shared/oslo-calculator.js";
import { Dispatcher, versionIsCompatible } from "./dispatcher.js";
import type { Serializer } from "./serializer.js";

/** Like the seed article's ServerControlEndpoint: a second endpoint in its own namespace. */
class ControlEndpoint {
  target = { namespace: "control", version: "2.1" };
  stopped = false;

  stop(_context: unknown) {
    this.stopped = true;
    return "stopping";
  }

  _internal() {
    return "private";
  }
}

const request = (method: string, args: Record<string, unknown> = {}, extra = {}) => ({
  method,
  args,
  ...extra,
});

async function failure(promise: Promise<unknown>): Promise<RpcError> {
  const error = await promise.then(
    () => expect.unreachable("the dispatch must fail"),
    (e: unknown) => e,
  );
  expect(error, "dispatch errors are RpcErrors").toBeInstanceOf(RpcError);
  return error as RpcError;
}

describe("task 3: dispatch by namespace and version", () => {
  it("calls the endpoint's method with the context and the arguments by name", async () => {
    const seen: unknown[] = [];
    const endpoint = {
      greet(context: unknown, args: { name: string }) {
        seen.push(context);
        return `hi ${args.name}`;
      },
    };
    const dispatcher = new Dispatcher([endpoint]);
    await expect(
      dispatcher.dispatch({ user: "ada" }, request("greet", { name: "Bo" })),
    ).resolves.toBe("hi Bo");
    expect(seen).toEqual([{ user: "ada" }]);
    await expect(
      new Dispatcher([calculatorEndpoint]).dispatch({}, request("subtract", { a: 5, b: 3 })),
    ).resolves.toBe(2);
  });

  it("finds methods defined on an endpoint's class, with `this` bound to it", async () => {
    const control = new ControlEndpoint();
    const dispatcher = new Dispatcher([control]);
    await expect(
      dispatcher.dispatch({}, request("stop", {}, { namespace: "control", version: "2.0" })),
    ).resolves.toBe("stopping");
    expect(control.stopped).toBe(true);
  });

  it("routes by namespace: a request without one never reaches a namespaced endpoint", async () => {
    const dispatcher = new Dispatcher([calculatorEndpoint, new ControlEndpoint()]);
    const error = await failure(dispatcher.dispatch({}, request("stop", {}, { version: "2.0" })));
    expect(error.code).toBe("unknown_method");
    await expect(
      dispatcher.dispatch(
        {},
        request("add", { a: 1, b: 2 }, { namespace: "control", version: "2.0" }),
      ),
      "add lives in the default namespace only",
    ).rejects.toMatchObject({ code: "unknown_method" });
  });

  it("answers NoSuchMethod when the version fits but the method is missing", async () => {
    const error = await failure(
      new Dispatcher([calculatorEndpoint]).dispatch({}, request("power")),
    );
    expect(error.name).toBe("NoSuchMethod");
    expect(error.message).toBe("Endpoint does not support RPC method power");
  });

  it("answers UnsupportedVersion when no endpoint implements the version", async () => {
    const dispatcher = new Dispatcher([new ControlEndpoint()]);
    const error = await failure(
      dispatcher.dispatch({}, request("stop", {}, { namespace: "control", version: "3.0" })),
    );
    expect(error.name).toBe("UnsupportedVersion");
    expect(error.message).toContain("Endpoint does not support RPC version 3.0");
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty", "target", "_internal"])(
    "never calls %s: inherited, reserved and private names are not methods",
    async (name) => {
      const dispatcher = new Dispatcher([new ControlEndpoint(), calculatorEndpoint]);
      const error = await failure(
        dispatcher.dispatch({}, request(name, {}, { namespace: "control", version: "2.0" })),
      );
      expect(error.code).toBe("unknown_method");
    },
  );

  it("lets a thrown error through for the server to send back", async () => {
    const error = await new Dispatcher([calculatorEndpoint])
      .dispatch({}, request("divide", { a: 1, b: 0 }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "DivisionByZeroError", message: "division by zero" });
  });

  it("runs context, arguments and the result through the serializer", async () => {
    const serializer: Serializer = {
      serializeEntity: (_c, entity) => (entity instanceof Date ? entity.toISOString() : entity),
      deserializeEntity: (_c, entity) =>
        typeof entity === "string" && /^\d{4}-/.test(entity) ? new Date(entity) : entity,
      serializeContext: (context) => context,
      deserializeContext: (context) => ({ ...context, deserialized: true }),
    };
    const endpoint = {
      nextDay(context: Record<string, unknown>, { day }: { day: Date }) {
        expect(context.deserialized, "the context is deserialized first").toBe(true);
        expect(day, "entities arrive deserialized").toBeInstanceOf(Date);
        return new Date(day.getTime() + 86_400_000);
      },
    };
    const result = await new Dispatcher([endpoint], serializer).dispatch(
      {},
      request("nextDay", { day: "2024-02-28T00:00:00.000Z" }),
    );
    expect(result, "the result leaves serialized").toBe("2024-02-29T00:00:00.000Z");
  });

  it("refuses an argument the method does not take, as Python would, when the endpoint lists them", async () => {
    const endpoint = {
      parameters: { add: ["x", "y"] },
      add: (_c: unknown, { x, y }: { x: number; y: number }) => x + y,
      free: (_c: unknown, args: unknown) => args,
    };
    const dispatcher = new Dispatcher([endpoint]);
    await expect(dispatcher.dispatch({}, { method: "add", args: { x: 1, y: 2 } })).resolves.toBe(3);
    const refused = dispatcher.dispatch({}, { method: "add", args: { x: 1, y: 2, z: 3 } });
    await expect(refused, "z is not one of add's parameters").rejects.toMatchObject({
      name: "TypeError",
      message: "add() got an unexpected keyword argument 'z'",
    });
    await expect(
      dispatcher.dispatch({}, { method: "free", args: { anything: 1 } }),
      "a method with no list takes any argument",
    ).resolves.toEqual({ anything: 1 });
    await expect(
      dispatcher.dispatch({}, { method: "parameters", args: {} }),
      "the list itself is not a method",
    ).rejects.toMatchObject({ name: "NoSuchMethod" });
  });

  it("compares versions as oslo does: same major, minor up to the one implemented", () => {
    expect(versionIsCompatible("2.3", "2.0")).toBe(true);
    expect(versionIsCompatible("2.3", "2.3")).toBe(true);
    expect(versionIsCompatible("2.3", "2.4"), "a newer minor is not implemented yet").toBe(false);
    expect(versionIsCompatible("2.3", "1.0"), "another major is another contract").toBe(false);
    expect(versionIsCompatible("2.3", "3.0")).toBe(false);
    expect(versionIsCompatible("1.0", "1.0.1"), "revisions count too").toBe(false);
    expect(versionIsCompatible("1.0.2", "1.0.1")).toBe(true);
    expect(versionIsCompatible("1.10", "1.9"), "numbers, not strings: 10 > 9").toBe(true);
  });
});
