// Backups of a running server (issue 9): taken during a message storm, restored onto an empty
// DATA_DIR (and an empty database), they hold every message acknowledged before the backup
// began, and the shared files those messages carry.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../helpers/database.ts";
import { connect, databases, everything, prepareStorm, startNode, storm, takePort } from "./helpers.ts";

const root = path.resolve(import.meta.dirname, "..", "..");

function run(command: "backup" | "restore", where: string, env: Record<string, string>): string {
  return execFileSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/backup.ts"), command, where], {
    cwd: root,
    env: { ...process.env, NEXTAUTH_SECRET: "fault-secret-fault-secret-fault-secret-01", ...env },
    encoding: "utf8",
  });
}

describe.each(["sqlite", "postgres"] as const)("on %s", (provider) => {
  it("a backup taken during a storm restores everything acknowledged before it began, files included", async () => {
    const { database, node, tokens, senders, roomId } = await prepareStorm(provider);
    const bytes = randomBytes(50_000);
    const query = new URLSearchParams({ roomId, name: "before.bin", clientMsgId: "file-before" });
    const shared = await fetch(`${node.url}/api/files?${query}`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens[0]}` },
      body: bytes,
    });
    expect(shared.status).toBe(201);
    const fileId = ((await shared.json()) as { message: { file: { id: string } } }).message.file.id;

    const load = storm(senders, roomId);
    await new Promise((r) => setTimeout(r, 800));
    const ackedBefore = new Set(load.acked);
    const saved = path.join(mkdtempSync(path.join(tmpdir(), "komnata-backup-")), "snapshot");
    const env = { DATA_DIR: database.dir, DATABASE_URL: database.url };
    expect(run("backup", saved, env)).toContain("Backed up");
    await load.stop();
    expect(ackedBefore.size).toBeGreaterThan(50);

    const fresh = await createTestDatabase(provider);
    databases.push(fresh);
    expect(run("restore", saved, { DATA_DIR: fresh.dir, DATABASE_URL: fresh.url })).toContain("Restored");
    // a restore never goes over data
    expect(() => run("restore", saved, { DATA_DIR: fresh.dir, DATABASE_URL: fresh.url })).toThrow();

    const restored = await startNode(fresh, await takePort());
    const reader = await connect(restored.url, tokens[0]);
    const ids = new Set((await everything(reader, roomId)).map((m) => m.clientMsgId));
    for (const id of ackedBefore) expect(ids.has(id), `acknowledged before the backup: ${id}`).toBe(true);
    const file = await fetch(`${restored.url}/api/files/${fileId}`, { headers: { authorization: `Bearer ${tokens[0]}` } });
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
  });
});
