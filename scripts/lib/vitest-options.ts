import { availableParallelism } from "node:os";
import type { ViteUserConfig } from "vitest/config";

/** What every run of the course's tests shares: vitest.config.ts (npm test) and
 * vitest.lesson.config.ts (npm run lesson N). */
export const courseTestOptions = {
  reporters: ["default", "./scripts/lib/task-reporter.ts"],
  // Worker processes (not threads): a test stuck in an endless loop can be stopped alone.
  pool: "forks",
  // Two workers even on two cores (vitest's default there is one): most tests wait on sockets
  // and child processes, not on the CPU.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  setupFiles: ["./scripts/lib/test-progress-setup.ts", "./scripts/lib/todo-setup.ts"],
  testTimeout: 15_000,
  // `npm run lesson N` leaves these out unless `-- --full`; npm test runs them all.
  tags: [{ name: "slow", description: "seconds, not milliseconds: a broker restart, a soak" }],
  hookTimeout: 60_000,
} satisfies ViteUserConfig["test"];

/** Lessons 8–10 talk to RabbitMQ: their runs start a private broker (or use AMQP_URL). */
export const BROKER_LESSON_NUMBERS = ["08", "09", "10"];
export const BROKER_GLOBAL_SETUP = "./shared/broker/global-setup.ts";
