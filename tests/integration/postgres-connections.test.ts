// PostgreSQL restarts and killed connections: the server keeps running and reconnects.
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { usingPostgres } from "../helpers/database.ts";
import {
  closeSockets,
  connectAs,
  createUser,
  ok,
  request,
  startServer,
  type TestServer,
  uniqueName,
  waitFor,
} from "../helpers/server.ts";

describe.skipIf(!usingPostgres)("killed PostgreSQL connections", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterEach(() => closeSockets());
  afterAll(async () => server.close());

  it("are dropped and replaced: the process survives and the next send is stored", async () => {
    const alice = await createUser(server);
    const a = await connectAs(server, alice);
    const { room } = await ok(a, "room:create", { name: uniqueName("restart") });
    await ok(a, "message:send", { roomId: room.id, body: "before", clientMsgId: "b1" });

    // what a PostgreSQL restart does to every idle connection of this server
    const admin = new pg.Client({ connectionString: server.database.url });
    await admin.connect();
    const { rowCount } = await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    await admin.end();
    expect(rowCount).toBeGreaterThan(0);
    await waitFor(
      () => server.logs.some((l) => l.msg === "an idle PostgreSQL connection failed; the pool replaces it"),
      5000,
      "the pool to notice",
    );

    const after = await ok(a, "message:send", { roomId: room.id, body: "after", clientMsgId: "a1" });
    expect(after.message.seq).toBe(2);
    expect((await ok(a, "room:history", { roomId: room.id, limit: 10 })).messages.map((m) => m.body)).toEqual([
      "before",
      "after",
    ]);
  });
});

describe.skipIf(!usingPostgres)("a PostgreSQL that does not answer", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ DATABASE_TIMEOUT_MS: "800" });
  });
  afterEach(() => closeSockets());
  afterAll(async () => server.close());

  it("fails a send with `unavailable` after the timeout, takes no seq, and the next send after it recovers is stored", async () => {
    const alice = await createUser(server);
    const a = await connectAs(server, alice);
    const { room } = await ok(a, "room:create", { name: uniqueName("hung") });

    // another session holds the room's row: every write to the room waits on its lock
    const blocker = new pg.Client({ connectionString: server.database.url });
    await blocker.connect();
    await blocker.query("BEGIN");
    await blocker.query(`SELECT id FROM "Room" WHERE id = $1 FOR UPDATE`, [room.id]);
    try {
      const started = Date.now();
      const reply = await request(a, "message:send", { roomId: room.id, body: "stuck", clientMsgId: "s1" });
      expect(reply.ok).toBe(false);
      if (!reply.ok) {
        expect(reply.error.code).toBe("unavailable");
        expect(reply.error.message).not.toMatch(/statement|cancel|postgres/i);
      }
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await blocker.query("ROLLBACK");
      await blocker.end();
    }
    const sent = await ok(a, "message:send", { roomId: room.id, body: "unstuck", clientMsgId: "s2" });
    expect(sent.message.seq).toBe(1);
  });
});
