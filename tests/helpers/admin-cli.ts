// `npm run admin -- ...args` as a person runs it beside a server: its own process, on the
// server's database and data folder (tests/integration/admin-cli.test.ts, slack-import.test.ts).
import { spawn } from "node:child_process";
import path from "node:path";
import type { TestServer } from "./server.ts";

const root = path.resolve(import.meta.dirname, "..", "..");

export interface AdminRun {
  code: number | null;
  out: string;
  err: string;
}

export function runAdmin(server: TestServer, args: string[], stdin = ""): Promise<AdminRun> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts", "admin.ts"), ...args], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATA_DIR: server.database.dir,
      DATABASE_URL: server.database.url,
      NEXTAUTH_SECRET: "test-secret-test-secret-test-secret-0123",
      NEXTAUTH_URL: server.url,
    },
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk) => {
    out += chunk;
  });
  child.stderr.on("data", (chunk) => {
    err += chunk;
  });
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out, err })));
}
