import { defineConfig } from "vitest/config";

// The reference solutions against real peers: Python's xmlrpc, jsonrpclib, zerorpc, oslo.messaging.
export default defineConfig({
  test: {
    include: ["interop/**/*.test.ts"],
    reporters: ["default", "./scripts/lib/task-reporter.ts"],
    testTimeout: 30_000,
    hookTimeout: 90_000,
  },
});
