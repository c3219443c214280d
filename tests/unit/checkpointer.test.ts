import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { startCheckpointer } from "../../server/db/checkpointer.ts";
import { SQLITE_PRAGMAS } from "../../server/db/sqlite.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A database as the server opens its own: WAL, its pragmas, no checkpoints of its own. */
function openDatabase() {
  const dir = mkdtempSync(path.join(tmpdir(), "komnata-checkpoint-"));
  dirs.push(dir);
  const file = path.join(dir, "test.db");
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  for (const pragma of SQLITE_PRAGMAS) db.pragma(pragma);
  db.pragma("wal_autocheckpoint = 0");
  db.exec(`CREATE TABLE "Message" (id INTEGER PRIMARY KEY, roomId INTEGER, body TEXT);
    CREATE INDEX "Message_roomId" ON "Message" (roomId, id);`);
  return { db, file };
}

describe("the checkpointer", () => {
  // a commit every millisecond or so, as a busy server's batches come: no checkpoint ends before
  // the next commit, so the WAL is never found all copied and started over by a writer
  it("keeps the WAL from growing under steady writes, and loses no write", async () => {
    const { db, file } = openDatabase();
    const errors: string[] = [];
    const checkpointer = startCheckpointer(file, {
      onError: (message) => errors.push(message),
      onGone: () => errors.push("the checkpointer died"),
      everyMs: 20,
      restartFrames: 64,
    });
    const insert = db.prepare(`INSERT INTO "Message" (roomId, body) VALUES (?, ?)`);
    const commit = db.transaction((n: number) => {
      for (let room = 0; room < 4; room++) insert.run(room, `message ${n} ${"x".repeat(200)}`);
    });
    let commits = 0;
    let largestWal = 0;
    // Each time a writer starts the WAL over it writes the file's header anew, with the next
    // checkpoint sequence number (bytes 12-15): the numbers seen count the WAL's beginnings.
    const header = Buffer.alloc(16);
    const beginnings = new Set<number>();
    // the file stays the same one when the WAL starts over: opened once, after the first commit
    let wal: number | undefined;
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      commit(commits);
      commits += 1;
      largestWal = Math.max(largestWal, statSync(`${file}-wal`).size);
      wal ??= openSync(`${file}-wal`, "r");
      readSync(wal, header, 0, 16, 0);
      beginnings.add(header.readUInt32BE(12));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await checkpointer.stop();
    if (wal !== undefined) closeSync(wal);

    expect(errors).toEqual([]);
    expect(commits).toBeGreaterThan(300);
    // started over again and again while the writes went on; left alone, never
    expect(beginnings.size).toBeGreaterThanOrEqual(5);
    // A frame is a 4 KiB page and its header. Left alone, the WAL takes every commit's pages
    // (some 6,000 frames, 25 MB); started over after 64 frames, it holds what comes while the
    // worker waits for its turn: 190 frames at most when this test runs alone, 453 on a 2-core
    // CI machine running other suites beside it (52 beginnings alone, 1 if never started over).
    const frame = 4096 + 24;
    expect(largestWal).toBeLessThan(800 * frame);
    expect((db.prepare(`SELECT count(*) AS n FROM "Message"`).get() as { n: number }).n).toBe(commits * 4);
    db.close();
  });
});
