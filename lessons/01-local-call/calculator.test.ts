import { describe, expect, it } from "vitest";
import {
  add,
  calculator,
  divide,
  DivisionByZeroError,
  hello,
  multiply,
  subtract,
} from "./calculator.js";

// These are the local semantics. Every later lesson calls the same functions over a wire,
// and its tests expect exactly these answers back.

describe("task 1: add and subtract", () => {
  it("adds two numbers", () => {
    expect(add(1, 2)).toBe(3);
    expect(add(-1.5, 0.5)).toBe(-1);
  });

  it("subtracts the second argument from the first", () => {
    expect(subtract(5, 3), "argument order matters: subtract(a, b) is a − b").toBe(2);
    expect(subtract(3, 5)).toBe(-2);
  });
});

describe("task 2: multiply and divide", () => {
  it("multiplies", () => {
    expect(multiply(6, 7)).toBe(42);
    expect(multiply(-2, 0.5)).toBe(-1);
  });

  it("divides the first argument by the second", () => {
    expect(divide(10, 4)).toBe(2.5);
    expect(divide(-9, 3)).toBe(-3);
  });

  it("throws DivisionByZeroError instead of returning Infinity", () => {
    expect(() => divide(1, 0)).toThrow(DivisionByZeroError);
    expect(() => divide(1, 0)).toThrow("division by zero");
    try {
      divide(1, 0);
    } catch (error) {
      expect((error as Error).name, "set name so the error can be told apart by name").toBe(
        "DivisionByZeroError",
      );
    }
  });
});

describe("task 3: hello, and guarded inputs", () => {
  it("greets by name", () => {
    expect(hello("Ada")).toBe("Hello, Ada!");
    expect(hello("世界")).toBe("Hello, 世界!");
  });

  it("refuses arguments of the wrong type with a TypeError", () => {
    // Over a wire these arrive unchecked; locally we cast to pretend.
    const untyped = calculator as unknown as Record<string, (...args: unknown[]) => unknown>;
    expect(() => untyped.add!("1", 2), "add must check its arguments are numbers").toThrow(
      TypeError,
    );
    expect(() => untyped.subtract!(1, null)).toThrow(TypeError);
    expect(() => untyped.multiply!([2], 3)).toThrow(TypeError);
    expect(() => untyped.divide!(4)).toThrow(TypeError);
    expect(() => untyped.hello!(42)).toThrow(TypeError);
  });

  it("names the method in the error message", () => {
    const untypedAdd = add as (...args: unknown[]) => number;
    expect(() => untypedAdd("1", 2)).toThrow(TypeError);
    expect(() => untypedAdd("1", 2)).toThrow(/^add\(/);
  });

  it("exposes all five methods on the calculator object", () => {
    expect(Object.keys(calculator).sort()).toEqual([
      "add",
      "divide",
      "hello",
      "multiply",
      "subtract",
    ]);
    expect(calculator.add(2, 2)).toBe(4);
  });
});
