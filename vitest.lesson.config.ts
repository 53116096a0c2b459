import { configDefaults, defineConfig } from "vitest/config";
import { courseTreePlugin } from "./scripts/lib/tree-plugin.js";
import {
  BROKER_GLOBAL_SETUP,
  BROKER_LESSON_NUMBERS,
  courseTestOptions,
} from "./scripts/lib/vitest-options.js";

// npm run lesson N: one lesson's tests and nothing else to find, so vitest starts one project
// and scans one folder (vitest.config.ts, for npm test, holds every test of the course).
const lesson = process.env.COURSE_SCREEN ?? "";
if (!/^\d\d-[a-z0-9-]+$/.test(lesson)) throw new Error("COURSE_SCREEN names no lesson");

export default defineConfig({
  plugins: [courseTreePlugin()],
  test: {
    ...courseTestOptions,
    include: [`lessons/${lesson}/**/*.test.ts`],
    experimental: { fsModuleCache: true },
    exclude: configDefaults.exclude,
    ...(BROKER_LESSON_NUMBERS.includes(lesson.slice(0, 2))
      ? { globalSetup: [BROKER_GLOBAL_SETUP] }
      : {}),
  },
});
