import { expect, it } from "vitest";
import { loadService } from "./serve.js";

it("serves the calculator by default", async () => {
  const { service } = await loadService(undefined);
  expect(Object.keys(service).sort()).toEqual(["add", "divide", "hello", "multiply", "subtract"]);
});

it("serves a Node built-in's exported functions, never a prototype name", async () => {
  const { service } = await loadService("node:os");
  expect(typeof service.hostname).toBe("function");
  expect(Object.getPrototypeOf(service)).toBe(null);
  for (const name of ["toString", "constructor", "__proto__", "hasOwnProperty", "default"]) {
    expect(Object.hasOwn(service, name), name).toBe(false);
  }
});

it("says so when a module cannot be loaded", async () => {
  await expect(loadService("./no/such/module.ts")).rejects.toThrow(/cannot load/);
});
