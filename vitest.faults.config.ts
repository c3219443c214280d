import { defineConfig } from "vitest/config";

// `npm run test:faults`: processes killed, databases stopped and locked, on real child processes.
export default defineConfig({
  test: {
    include: ["tests/faults/**/*.test.ts"],
    setupFiles: ["tests/helpers/setup.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
