// Another program holding SQLite's write lock (a backup, the sqlite3 shell) must not freeze the
// server (issue 9): writes wait their turn asynchronously while everyone else is answered, and
// fail with `unavailable` only when the lock outlasts the wait.
import { statSync } from "node:fs";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { usingPostgres } from "../helpers/database.ts";
import { closeSockets, connectAs, createUser, ok, request, startServer, type TestServer, uniqueName } from "../helpers/server.ts";

describe.skipIf(usingPostgres)("a SQLite write lock held by another connection", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterEach(() => closeSockets());
  afterAll(async () => server.close());

  const lock = () => {
    const other = new Database(server.database.url.slice("file:".length));
    other.exec("BEGIN IMMEDIATE");
    return () => {
      other.exec("COMMIT");
      other.close();
    };
  };

  it("keeps the event loop free while writes wait, and stores them once the lock is gone", async () => {
    const alice = await createUser(server);
    const a = await connectAs(server, alice);
    const { room } = await ok(a, "room:create", { name: uniqueName("locked") });

    const release = lock();
    // while locked: a room creation (Prisma) and a send (the message store) wait…
    const created = ok(a, "room:create", { name: uniqueName("during") });
    const sent = ok(a, "message:send", { roomId: room.id, body: "waited", clientMsgId: "w1" });
    // …and the process keeps answering: timers fire on time, health and reads are served
    const lags: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t = performance.now();
      await new Promise((r) => setTimeout(r, 50));
      lags.push(performance.now() - t - 50);
    }
    expect(Math.max(...lags)).toBeLessThan(250);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    await ok(a, "room:history", { roomId: room.id, limit: 5 });
    release();

    expect((await created).room.name).toMatch(/^during/);
    expect((await sent).message).toMatchObject({ body: "waited", seq: 1 });
  });

  it("answers `unavailable` when the lock outlasts the wait (DATABASE_TIMEOUT_MS), and nothing is half-written", async () => {
    const impatient = await startServer({ DATABASE_TIMEOUT_MS: "400" });
    try {
      const alice = await createUser(impatient);
      const a = await connectAs(impatient, alice);
      const { room } = await ok(a, "room:create", { name: uniqueName("stuck") });
      const other = new Database(impatient.database.url.slice("file:".length));
      other.exec("BEGIN IMMEDIATE");
      try {
        const send = await request(a, "message:send", { roomId: room.id, body: "too late", clientMsgId: "late" });
        expect(send.ok ? "stored" : send.error.code).toBe("unavailable");
        const create = await request(a, "room:create", { name: uniqueName("too-late") });
        expect(create.ok ? "created" : create.error.code).toBe("unavailable");
      } finally {
        other.exec("ROLLBACK");
        other.close();
      }
      expect((await ok(a, "room:history", { roomId: room.id, limit: 5 })).messages).toEqual([]);
      expect((await ok(a, "message:send", { roomId: room.id, body: "now", clientMsgId: "now" })).message.seq).toBe(1);
    } finally {
      await impatient.close();
    }
  });
});

describe.skipIf(usingPostgres)("SQLite's WAL", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterEach(() => closeSockets());
  afterAll(async () => server.close());

  it("is copied into the database file by the worker thread's checkpoints while the server runs", async () => {
    const file = server.database.url.slice("file:".length);
    const alice = await createUser(server);
    const a = await connectAs(server, alice);
    const { room } = await ok(a, "room:create", { name: uniqueName("wal") });
    // the server's connections never checkpoint (wal_autocheckpoint = 0): without the worker the
    // database file would not grow at all while the server runs
    const probe = new Database(file, { readonly: true });
    const before = statSync(file).size;
    for (let i = 0; i < 300; i++) {
      await ok(a, "message:send", { roomId: room.id, body: `wal ${i} ${"x".repeat(2000)}`, clientMsgId: `wal-${i}` });
    }
    // …and within a couple of seconds the worker has copied the pages into the database file
    const deadline = Date.now() + 5000;
    while (statSync(file).size <= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(statSync(file).size).toBeGreaterThan(before);
    const stored = probe.prepare(`SELECT COUNT(*) AS n FROM "Message" WHERE "roomId" = ?`).get(room.id) as { n: number };
    expect(stored.n).toBe(300);
    probe.close();
  });
});
