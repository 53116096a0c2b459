import { defineConfig } from "vitest/config";
import { courseTreePlugin } from "./scripts/lib/tree-plugin.js";

// The lesson tests run against lessons/ (your files) or solutions/ (COURSE_TREE=solutions).
export default defineConfig({
  plugins: [courseTreePlugin()],
  test: {
    include: ["lessons/**/*.test.ts", "scripts/**/*.test.ts"],
    reporters: ["default", "./scripts/lib/task-reporter.ts"],
    testTimeout: 15_000,
    hookTimeout: 60_000,
  },
});
