import { configDefaults, defineConfig } from "vitest/config";
import { courseTreePlugin } from "./scripts/lib/tree-plugin.js";
import {
  BROKER_GLOBAL_SETUP,
  BROKER_LESSON_NUMBERS,
  courseTestOptions,
} from "./scripts/lib/vitest-options.js";

// Lessons 8–10 talk to RabbitMQ. They form a project of their own whose globalSetup starts a
// private broker (or uses AMQP_URL), so a run of any other lesson never pays for it.
const BROKER_LESSONS = [
  ...BROKER_LESSON_NUMBERS.flatMap((n) => [`lessons/${n}-*/**/*.test.ts`, `faults/${n}-*.test.ts`]),
  "scripts/wire/amqp.e2e.test.ts",
];

// The CLI end to end: every command a README shows and every screen, each a process of its own
// (minutes, not seconds). `npm run test:cli` runs them; `npm test` runs everything else.
const CLI_E2E = [
  "scripts/cli-e2e.test.ts",
  "scripts/loop-e2e.test.ts",
  "scripts/readme-commands.test.ts",
  "scripts/tester/tester.test.ts",
  "scripts/typecheck-alone.test.ts",
];
const CLI_E2E_BROKER = ["scripts/readme-commands.amqp.test.ts"];

// The lesson tests run against lessons/ (your files) or solutions/ (COURSE_TREE=solutions).
// `npm run lesson N` uses vitest.lesson.config.ts: the same options, one lesson's folder.
export default defineConfig({
  plugins: [courseTreePlugin()],
  test: {
    ...courseTestOptions,
    projects: [
      {
        extends: true,
        test: {
          name: "course",
          include: ["lessons/**/*.test.ts", "scripts/**/*.test.ts", "faults/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...BROKER_LESSONS, ...CLI_E2E, ...CLI_E2E_BROKER],
        },
      },
      {
        extends: true,
        test: {
          name: "rabbitmq",
          include: BROKER_LESSONS,
          // The cluster test starts a cluster of its own: npm run test:cluster.
          exclude: [...configDefaults.exclude, "faults/*-cluster.test.ts"],
          globalSetup: [BROKER_GLOBAL_SETUP],
        },
      },
      { extends: true, test: { name: "cli", include: CLI_E2E } },
      {
        extends: true,
        test: { name: "cli-rabbitmq", include: CLI_E2E_BROKER, globalSetup: [BROKER_GLOBAL_SETUP] },
      },
    ],
  },
});
