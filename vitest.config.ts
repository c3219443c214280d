import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // the pages' `@/` imports (tsconfig.json paths), for tests that render their components
  resolve: { alias: { "@/": new URL("./", import.meta.url).pathname } },
  test: {
    include: ["tests/unit/**/*.test.{ts,tsx}", "tests/integration/**/*.test.ts"],
    setupFiles: ["tests/helpers/setup.ts"],
    pool: "forks",
    // Vitest's default is one file at a time per core but one, so a single file at a time on 2
    // cores; many files spend most of their time waiting on a server, a timer or a database, so
    // three at a time keep 2 cores busy (145 s down to 74 s on SQLite, 140 s to 79 s on PostgreSQL).
    // Each file has its own database and ports (tests/helpers).
    maxWorkers: Math.max(3, availableParallelism() - 1),
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
