import { configDefaults, defineConfig } from "vitest/config";
import { courseTreePlugin } from "./scripts/lib/tree-plugin.js";

// Lessons 8–10 talk to RabbitMQ. They form a project of their own whose globalSetup starts a
// private broker (or uses AMQP_URL), so a run of any other lesson never pays for it.
const BROKER_LESSONS = [
  ...["08", "09", "10"].flatMap((n) => [`lessons/${n}-*/**/*.test.ts`, `faults/${n}-*.test.ts`]),
  "scripts/wire/amqp.e2e.test.ts",
  "scripts/readme-commands.amqp.test.ts",
];

// The lesson tests run against lessons/ (your files) or solutions/ (COURSE_TREE=solutions).
export default defineConfig({
  plugins: [courseTreePlugin()],
  test: {
    reporters: ["default", "./scripts/lib/task-reporter.ts"],
    // Worker processes (not threads): a test stuck in an endless loop can be stopped alone.
    pool: "forks",
    setupFiles: ["./scripts/lib/test-progress-setup.ts", "./scripts/lib/todo-setup.ts"],
    testTimeout: 15_000,
    // `npm run lesson N` leaves these out unless `-- --full`; npm test runs them all.
    tags: [{ name: "slow", description: "seconds, not milliseconds: a broker restart, a soak" }],
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "course",
          include: ["lessons/**/*.test.ts", "scripts/**/*.test.ts", "faults/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...BROKER_LESSONS],
        },
      },
      {
        extends: true,
        test: {
          name: "rabbitmq",
          include: BROKER_LESSONS,
          // The cluster test starts a cluster of its own: npm run test:cluster.
          exclude: [...configDefaults.exclude, "faults/*-cluster.test.ts"],
          globalSetup: ["./shared/broker/global-setup.ts"],
        },
      },
    ],
  },
});
