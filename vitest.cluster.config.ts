import { defineConfig } from "vitest/config";

// npm run test:cluster: lesson 9 on a private three-node RabbitMQ cluster. It starts the
// cluster itself (about a minute on a busy two-core machine), so it runs alone, not in npm test.
export default defineConfig({
  test: {
    include: ["faults/*-cluster.test.ts"],
    pool: "forks",
    testTimeout: 150_000,
    hookTimeout: 240_000,
  },
});
