/**
 * The example service of the whole course. Every later lesson calls these same five functions
 * over a wire, and its tests check that the answers stay exactly what they are here.
 */

/** Thrown by divide(x, 0): JSON cannot carry Infinity, so the service refuses instead. */
export class DivisionByZeroError extends Error {
  override name = "DivisionByZeroError";

  constructor() {
    super("division by zero");
  }
}

// A remote caller is not checked by our compiler: "1" may arrive where 1 was meant.
function requireNumbers(method: string, a: unknown, b: unknown): void {
  if (typeof a !== "number" || typeof b !== "number") {
    throw new TypeError(`${method}(a, b) takes two numbers, got (${typeof a}, ${typeof b})`);
  }
}

export function add(a: number, b: number): number {
  requireNumbers("add", a, b);
  return a + b;
}

export function subtract(a: number, b: number): number {
  requireNumbers("subtract", a, b);
  return a - b;
}

export function multiply(a: number, b: number): number {
  requireNumbers("multiply", a, b);
  return a * b;
}

export function divide(a: number, b: number): number {
  requireNumbers("divide", a, b);
  if (b === 0) throw new DivisionByZeroError();
  return a / b;
}

export function hello(name: string): string {
  if (typeof name !== "string")
    throw new TypeError(`hello(name) takes a string, got ${typeof name}`);
  return `Hello, ${name}!`;
}

/** The service as one object: the shape every server of the course exposes. */
export const calculator = { add, subtract, multiply, divide, hello };

export type Calculator = typeof calculator;
