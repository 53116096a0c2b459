import { calculator } from "../../shared/calculator.js";
import { serviceTools, type JsonSchema, type Tool, type ToolSpec } from "./tools.js";

/** The calculator's functions with the schemas a model needs to call them. */

const twoNumbers: JsonSchema = {
  type: "object",
  properties: { a: { type: "number" }, b: { type: "number" } },
  required: ["a", "b"],
};
const numberResult: JsonSchema = {
  type: "object",
  properties: { result: { type: "number" } },
  required: ["result"],
};

export const CALCULATOR_SPECS: Record<keyof typeof calculator, ToolSpec> = {
  add: { description: "a + b", inputSchema: twoNumbers, outputSchema: numberResult },
  subtract: { description: "a - b", inputSchema: twoNumbers, outputSchema: numberResult },
  multiply: { description: "a × b", inputSchema: twoNumbers, outputSchema: numberResult },
  divide: {
    description: "a ÷ b; dividing by zero is an error",
    inputSchema: twoNumbers,
    outputSchema: numberResult,
  },
  hello: {
    description: "greets someone by name",
    inputSchema: {
      type: "object",
      properties: { name: { type: "string" } },
      required: ["name"],
    },
    outputSchema: {
      type: "object",
      properties: { result: { type: "string" } },
      required: ["result"],
    },
  },
};

export function calculatorTools(): Tool[] {
  return serviceTools(calculator, CALCULATOR_SPECS);
}
