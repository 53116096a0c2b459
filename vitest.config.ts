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
  "scripts/readme-commands.amqp.test.ts",
];

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
          globalSetup: [BROKER_GLOBAL_SETUP],
        },
      },
    ],
  },
});
