import { describe, expect, it } from "vitest";
import * as calculatorModule from "../../shared/calculator.js";
import { calculator } from "../../shared/calculator.js";
import { RpcError } from "../../shared/rpc-error.js";
import { Registry } from "./registry.js";

function refusal(run: () => unknown): RpcError {
  try {
    run();
  } catch (error) {
    expect(error, "refuse with an RpcError, not a plain Error").toBeInstanceOf(RpcError);
    return error as RpcError;
  }
  return expect.unreachable("this lookup must throw") as never;
}

describe("task 1: the call-ID table", () => {
  const add = (a: number, b: number) => a + b;
  const hello = (name: string) => `Hello, ${name}!`;

  it("finds a function by its name and by its integer ID", () => {
    const registry = new Registry().register("add", add, 7).register("hello", hello, 8);
    expect(registry.byName("add")).toEqual({ name: "add", id: 7, fn: add });
    expect(registry.byId(7), "byId(7) must find the entry registered with ID 7").toEqual({
      name: "add",
      id: 7,
      fn: add,
    });
    expect(registry.byId(8).fn).toBe(hello);
    expect(registry.has("add")).toBe(true);
    expect(registry.names()).toEqual(["add", "hello"]);
  });

  it("gives the next free ID when none is asked for", () => {
    const registry = new Registry().register("add", add).register("hello", hello);
    expect(registry.byName("add").id, "the first function gets ID 1").toBe(1);
    expect(registry.byName("hello").id).toBe(2);
  });

  it("gives the lowest free ID, skipping the IDs given by hand", () => {
    const registry = new Registry().register("add", add, 2).register("hello", hello);
    expect(registry.byName("hello").id, "ID 1 is still free").toBe(1);
    registry.register("multiply", add).register("divide", add, 4).register("subtract", add);
    expect(registry.byName("multiply").id, "ID 2 is add's: the next free one is 3").toBe(3);
    expect(registry.byName("subtract").id, "and after 4, given by hand, comes 5").toBe(5);
  });

  it("refuses a name or an ID registered twice, and IDs that are not 32-bit integers", () => {
    const registry = new Registry().register("add", add, 1);
    expect(() => registry.register("add", hello, 2), "a name is registered once").toThrow(/add/);
    expect(() => registry.register("hello", hello, 1), "an ID belongs to one function").toThrow(
      /1/,
    );
    for (const id of [-1, 1.5, 2 ** 32, Number.NaN]) {
      expect(() => registry.register(`f${id}`, hello, id), `ID ${id} must be refused`).toThrow();
    }
  });

  it("refuses unknown names and IDs with unknown_method", () => {
    const registry = new Registry().register("add", add);
    const byName = refusal(() => registry.byName("power"));
    expect(byName.code).toBe("unknown_method");
    expect(byName.message, "say which name was not found").toMatch(/power/);
    const byId = refusal(() => registry.byId(99));
    expect(byId.code).toBe("unknown_method");
    expect(byId.message).toMatch(/99/);
    expect(registry.has("power")).toBe(false);
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"])(
    "never finds %s, which every plain object inherits",
    (name) => {
      const registry = Registry.fromService(calculator);
      expect(refusal(() => registry.byName(name)).code).toBe("unknown_method");
      expect(registry.has(name), "use a Map, not a plain object, for the tables").toBe(false);
    },
  );

  it("builds the same table from the same service in two places", () => {
    const client = Registry.fromService(calculator);
    const server = Registry.fromService({ ...calculator });
    expect(client.names().sort()).toEqual(["add", "divide", "hello", "multiply", "subtract"]);
    for (const name of client.names()) {
      expect(server.byName(name).id, `both sides must give "${name}" the same ID`).toBe(
        client.byName(name).id,
      );
    }
    expect(server.byId(client.byName("add").id).fn(2, 3)).toBe(5);
  });

  it("leaves classes out when built from a whole module", () => {
    // The module exports DivisionByZeroError beside the functions: a class, not a method.
    const fromModule = Registry.fromService(calculatorModule);
    const fromObject = Registry.fromService(calculator);
    expect(fromModule.names()).toEqual(fromObject.names());
    for (const name of fromObject.names()) {
      expect(fromModule.byName(name).id).toBe(fromObject.byName(name).id);
    }
  });

  it("keeps IDs pinned by the caller of fromService", () => {
    const registry = Registry.fromService(calculator, { hello: 100, add: 1 });
    expect(registry.byName("hello").id).toBe(100);
    expect(registry.byId(1).name).toBe("add");
    const ids = registry.names().map((name) => registry.byName(name).id);
    expect(new Set(ids).size, "every function gets an ID of its own").toBe(5);
  });
});
