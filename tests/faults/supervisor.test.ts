// `npm start` under a supervisor (systemd, Docker, a process manager) that stops it by signalling
// its whole process group: a clean stop must exit 0, or the supervisor reports a failure.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..", "..");

it("npm start exits 0 when its process group gets SIGTERM, after stopping cleanly", async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "komnata-supervised-"));
  const port = 3900 + (process.pid % 90);
  const child = spawn("npm", ["start"], {
    cwd: root,
    detached: true, // its own process group, as a supervisor starts it
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout.on("data", (c: Buffer) => output.push(c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => output.push(c.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  try {
    // the first start may build the pages
    const deadline = Date.now() + 170_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited early: ${output.join("")}`);
      if ((await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.ok) break;
      if (Date.now() > deadline) throw new Error(`npm start did not serve: ${output.join("")}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    process.kill(-(child.pid as number), "SIGTERM");
    expect(await exited).toBe(0);
    expect(output.join("")).toContain("stopped cleanly");
  } finally {
    if (child.exitCode === null) process.kill(-(child.pid as number), "SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 200_000);
