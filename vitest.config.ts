import { defineConfig } from "vitest/config";

export default defineConfig({
  // the pages' `@/` imports (tsconfig.json paths), for tests that render their components
  resolve: { alias: { "@/": new URL("./", import.meta.url).pathname } },
  test: {
    include: ["tests/unit/**/*.test.{ts,tsx}", "tests/integration/**/*.test.ts"],
    setupFiles: ["tests/helpers/setup.ts"],
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
