import { calculator } from "../../shared/calculator.js";
import { RpcError } from "../../shared/rpc-error.js";

/** What the demo client puts in the queue: `{"method": "add", "args": [1, 2]}`. */
export interface CalculatorJob {
  method: keyof typeof calculator;
  args: unknown[];
}

/**
 * The job in a message that decoded as JSON, or RpcError "bad_message" when it is not a
 * calculator job: the message is at fault, not the worker (it goes to the dead-letter queue).
 */
export function asCalculatorJob(job: unknown): CalculatorJob {
  const candidate = job as { method?: unknown; args?: unknown } | null;
  if (
    typeof candidate !== "object" ||
    candidate === null ||
    typeof candidate.method !== "string" ||
    !Object.hasOwn(calculator, candidate.method) ||
    !Array.isArray(candidate.args)
  ) {
    throw new RpcError(
      "bad_message",
      `not a calculator job: ${JSON.stringify(job)?.slice(0, 200)}`,
    );
  }
  return candidate as CalculatorJob;
}

/** Runs a calculator job; returns the line the demo worker prints, e.g. `add(1, 2) = 3`. */
export function runCalculatorJob(job: unknown): string {
  const { method, args } = asCalculatorJob(job);
  const run = calculator[method] as (...args: unknown[]) => unknown;
  return `${method}(${args.map((a) => JSON.stringify(a)).join(", ")}) = ${JSON.stringify(run(...args))}`;
}
