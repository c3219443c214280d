// PostgreSQL restarts and killed connections: the server keeps running and reconnects.
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { usingPostgres } from "../helpers/database.ts";
import { closeSockets, connectAs, createUser, ok, startServer, type TestServer, uniqueName, waitFor } from "../helpers/server.ts";

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
