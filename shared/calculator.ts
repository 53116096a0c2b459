// The example service of the whole course: the calculator finished in lesson 1.
export * from "../solutions/01-local-call/calculator.js";
