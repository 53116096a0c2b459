import { describe, expect, it } from "vitest";
import { RpcError } from "../../shared/rpc-error.js";
import { callAsIfRemote, lookupMethod } from "./as-if-remote.js";
import { calculator, DivisionByZeroError } from "./calculator.js";

describe("task 4: find a method by its name", () => {
  it("finds the service's own functions", () => {
    expect(lookupMethod(calculator, "add")).toBe(calculator.add);
    expect(lookupMethod(calculator, "hello")).toBe(calculator.hello);
  });

  it("refuses a name the service does not have", () => {
    expect(() => lookupMethod(calculator, "power")).toThrow(RpcError);
    expect(() => lookupMethod(calculator, "power")).toThrow(/power/);
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"])(
    "refuses %s, which every object inherits",
    (name) => {
      try {
        lookupMethod(calculator, name);
        expect.unreachable(`lookupMethod(calculator, "${name}") must throw`);
      } catch (error) {
        expect(error, "only the service's own methods may be called").toBeInstanceOf(RpcError);
        expect((error as RpcError).code).toBe("unknown_method");
      }
    },
  );
});

describe("task 5: send only data", () => {
  it("returns the result — as a promise, even for a synchronous function", async () => {
    const pending = callAsIfRemote(calculator, "add", [1, 2]);
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).resolves.toBe(3);
    await expect(callAsIfRemote(calculator, "hello", ["Ada"])).resolves.toBe("Hello, Ada!");
  });

  it("keeps argument order", async () => {
    await expect(callAsIfRemote(calculator, "subtract", [5, 3])).resolves.toBe(2);
  });

  it("answers on a later turn of the event loop, never on the caller's stack", async () => {
    const order: string[] = [];
    const pending = callAsIfRemote(calculator, "add", [1, 1]).then(() => order.push("reply"));
    order.push("after the call");
    await pending;
    expect(order).toEqual(["after the call", "reply"]);
  });

  it("brings a thrown error back by name and message, but not as the same class", async () => {
    const error = await callAsIfRemote(calculator, "divide", [1, 0]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({
      code: "remote_error",
      remoteName: "DivisionByZeroError",
      message: "division by zero",
    });
    expect(error, "classes do not cross a wire, only their names").not.toBeInstanceOf(
      DivisionByZeroError,
    );
  });

  it("refuses unknown and inherited names with unknown_method", async () => {
    for (const name of ["power", "__proto__", "constructor", "toString"]) {
      await expect(callAsIfRemote(calculator, name, [])).rejects.toMatchObject({
        code: "unknown_method",
      });
    }
  });

  it("sends copies: the callee cannot change the caller's objects", async () => {
    const service = {
      grow(list: number[]) {
        list.push(99);
        return list.length;
      },
    };
    const mine = [1, 2];
    await expect(callAsIfRemote(service, "grow", [mine])).resolves.toBe(3);
    expect(mine, "arguments must travel as text, not as references").toEqual([1, 2]);
  });

  it("loses what JSON cannot say — the gap lesson 2 closes", async () => {
    const echo = { echo: (value: unknown) => value };
    await expect(callAsIfRemote(echo, "echo", [new Date(0)])).resolves.toBe(
      "1970-01-01T00:00:00.000Z",
    );
    await expect(callAsIfRemote(calculator, "multiply", [1e308, 10])).resolves.toBeNull();
    await expect(callAsIfRemote(echo, "echo", [[undefined]])).resolves.toEqual([null]);
  });
});
