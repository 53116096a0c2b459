import { todo } from "../../shared/todo.js";

/**
 * The example service of the whole course. Every later lesson calls these same five functions
 * over a wire, and its tests check that the answers stay exactly what they are here.
 */

/** Thrown by divide(x, 0): JSON cannot carry Infinity, so the service refuses instead. */
export class DivisionByZeroError extends Error {
  // Task 2: once calls cross a wire, an error's name is all a caller sees of it: give this
  // one a name of its own.

  constructor() {
    super("division by zero");
  }
}

/**
 * A remote caller is not checked by our compiler: "1" may arrive where 1 was meant. Task 3:
 * throw a TypeError that names `method` unless both a and b are numbers.
 */
function requireNumbers(_method: string, _a: unknown, _b: unknown): void {}

export function add(a: number, b: number): number {
  requireNumbers("add", a, b);
  // Task 1: return the sum.
  return todo("task 1: add");
}

export function subtract(a: number, b: number): number {
  requireNumbers("subtract", a, b);
  // Task 1: return a − b. Argument order is part of the contract.
  return todo("task 1: subtract");
}

export function multiply(a: number, b: number): number {
  requireNumbers("multiply", a, b);
  // Task 2: return the product.
  return todo("task 2: multiply");
}

export function divide(a: number, b: number): number {
  requireNumbers("divide", a, b);
  // Task 2: throw new DivisionByZeroError() when b is 0, else return a / b.
  return todo("task 2: divide");
}

export function hello(name: string): string {
  // Task 3: throw a TypeError unless name is a string; return "Hello, <name>!".
  return todo("task 3: hello");
}

/** The service as one object: the shape every server of the course exposes. */
export const calculator = { add, subtract, multiply, divide, hello };

export type Calculator = typeof calculator;
