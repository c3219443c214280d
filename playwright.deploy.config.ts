import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./tests/e2e/chromium.ts";

// `npm run test:deploy`: two nodes on PostgreSQL + Redis behind nginx (tests/deploy/stack.ts starts
// them; the tests bring their own base URL, the proxy's).
export default defineConfig({
  testDir: "tests/deploy",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: "list",
  use: { trace: "retain-on-failure", launchOptions: chromiumLaunchOptions },
});
