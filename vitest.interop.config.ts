import { configDefaults, defineConfig } from "vitest/config";

// Interop tests of lessons 8, 9 and 10 need RabbitMQ: a project of their own starts it (or uses
// AMQP_URL), so the other peers never wait for a broker.
const BROKER_INTEROP = [
  "interop/08-*.test.ts",
  "interop/09-*.test.ts",
  "interop/10-*.test.ts",
  "interop/tester-amqp.test.ts",
];

// The reference solutions against real peers: Python's xmlrpc, jsonrpclib, zerorpc, pika, oslo.messaging.
export default defineConfig({
  test: {
    reporters: ["default", "./scripts/lib/task-reporter.ts"],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    projects: [
      {
        extends: true,
        test: {
          name: "interop",
          include: ["interop/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...BROKER_INTEROP],
        },
      },
      {
        extends: true,
        test: {
          name: "interop-rabbitmq",
          include: BROKER_INTEROP,
          globalSetup: ["./shared/broker/global-setup.ts"],
        },
      },
    ],
  },
});
