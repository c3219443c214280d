// `npm start`: builds the pages when there is no build or the sources are newer than it,
// then runs the server in production mode (which applies migrations before it listens).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const buildId = path.join(root, ".next", "BUILD_ID");
const sources = [
  "app",
  "messages",
  "server",
  "types",
  "next.config.js",
  "postcss.config.mjs",
  "package-lock.json",
  "tsconfig.json",
];

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(entry)) {
    if (child === "generated" || child === "node_modules") continue;
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

// Next.js would otherwise try to report anonymous usage to its vendor.
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
const changedAt = Math.max(...sources.map((s) => newestMtime(path.join(root, s))));
if (builtAt < changedAt) {
  console.log(
    builtAt === 0 ? "No build yet: building the pages (about a minute, once)…" : "Sources changed: rebuilding the pages…",
  );
  const next = path.join(root, "node_modules", ".bin", "next");
  const result = spawnSync(next, ["build"], { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// NODE_ENV is typed read-only by Next.js; the server reads it once, at start-up.
Object.assign(process.env, { NODE_ENV: "production" });
await import("../server/index.ts");
