import { todo } from "../../shared/todo.js";

/**
 * The example service of the whole course. Every later lesson calls these same five functions
 * over a wire, and its tests check that the answers stay exactly what they are here.
 */

/**
 * Thrown by divide(x, 0): JSON cannot carry Infinity, so the service refuses instead. Task 2:
 * its `name` must be "DivisionByZeroError" of its own (an Error's is "Error"): once calls cross
 * a wire, the name is all a caller will see of it.
 */
export class DivisionByZeroError extends Error {
  constructor() {
    super("division by zero");
  }
}

/**
 * Task 3: a TypeError naming `method` unless both a and b are numbers. A remote caller is not
 * checked by our compiler: "1" may arrive where 1 was meant. (Until task 3 it lets all pass.)
 */
function requireNumbers(method: string, a: unknown, b: unknown): void {}

/** a + b. */
export function add(a: number, b: number): number {
  requireNumbers("add", a, b);
  return todo("task 1: add");
}

/** a − b: argument order is part of the contract. */
export function subtract(a: number, b: number): number {
  requireNumbers("subtract", a, b);
  return todo("task 1: subtract");
}

/** a × b. */
export function multiply(a: number, b: number): number {
  requireNumbers("multiply", a, b);
  return todo("task 2: multiply");
}

/** a / b; a DivisionByZeroError when b is 0. */
export function divide(a: number, b: number): number {
  requireNumbers("divide", a, b);
  return todo("task 2: divide");
}

/** "Hello, Ada!" for "Ada"; a TypeError when name is not a string. */
export function hello(name: string): string {
  return todo("task 3: hello");
}

/** The service as one object: the shape every server of the course exposes. */
export const calculator = { add, subtract, multiply, divide, hello };

export type Calculator = typeof calculator;
