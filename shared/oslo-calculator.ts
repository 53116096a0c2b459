import { calculator } from "./calculator.js";

/**
 * The course calculator as an oslo-style endpoint: every method takes the caller's context
 * first, then its arguments by name, because oslo.messaging sends `args` as an object
 * (`client.call(ctxt, "add", a=1, b=2)` in Python).
 */
type Args = Record<string, unknown>;

/** The names of each method's arguments, in order: how the CLI names `add 1 2`. */
export const calculatorParameters: Record<string, string[]> = {
  add: ["a", "b"],
  subtract: ["a", "b"],
  multiply: ["a", "b"],
  divide: ["a", "b"],
  hello: ["name"],
};

export const calculatorEndpoint = {
  // What Python's signatures would say: `add(x=1, b=2)` is a TypeError, as from an oslo server.
  parameters: calculatorParameters,
  add: (_context: unknown, { a, b }: Args) => calculator.add(a as number, b as number),
  subtract: (_context: unknown, { a, b }: Args) => calculator.subtract(a as number, b as number),
  multiply: (_context: unknown, { a, b }: Args) => calculator.multiply(a as number, b as number),
  divide: (_context: unknown, { a, b }: Args) => calculator.divide(a as number, b as number),
  hello: (_context: unknown, { name }: Args) => calculator.hello(name as string),
};
