import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./tests/e2e/chromium.ts";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;
// The config is evaluated again in each worker: only the first evaluation makes the directory.
process.env.KOMNATA_E2E_DATA ??= mkdtempSync(path.join(tmpdir(), "komnata-e2e-"));

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  // One retry in CI: the shared 2-core machine has multi-second stalls. A test that needed it is
  // reported as "flaky" in the output, not hidden.
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? "list" : [["list"]],
  use: {
    baseURL,
    // A test's trace is recorded on its retry (CI retries once), not for every test: recording
    // (DOM snapshots and a screencast) took about a fifth of the suite's time on 2 cores. Locally,
    // `--trace on` records one.
    trace: "on-first-retry",
    launchOptions: chromiumLaunchOptions,
  },
  webServer: {
    command: "npx tsx scripts/start.ts",
    url: `${baseURL}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      PORT: String(port),
      DATA_DIR: process.env.KOMNATA_E2E_DATA,
      NEXTAUTH_URL: baseURL,
      LOG_LEVEL: "warn",
      REGISTER_MAX_PER_HOUR: "10000",
      // a bot in the tests sends 60 messages at once
      SEND_RATE_PER_USER: "1000",
      ROOMS_PER_HOUR: "10000",
      MAX_UPLOAD_MB: "5",
      // the outgoing webhook test's target listens on this machine
      WEBHOOK_ALLOW_PRIVATE: "true",
    },
  },
});
