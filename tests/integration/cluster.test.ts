// Two nodes on one PostgreSQL database and one Redis: what a team does when it outgrows one
// machine. Runs in `npm run test:postgres` (a user's laptop has neither server).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usingPostgres } from "../helpers/database.ts";
import {
  closeSockets,
  collect,
  connectAs,
  createUser,
  ok,
  startServer,
  type TestServer,
  uniqueName,
  waitFor,
} from "../helpers/server.ts";

const REDIS_URL = process.env.KOMNATA_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

describe.skipIf(!usingPostgres)("two nodes behind Redis", () => {
  let nodeA: TestServer;
  let nodeB: TestServer;
  beforeAll(async () => {
    nodeA = await startServer({ REDIS_URL });
    nodeB = await startServer({ REDIS_URL }, nodeA.database);
  });
  afterAll(async () => {
    closeSockets();
    await nodeB?.close();
    await nodeA?.close();
  });

  it("delivers a message sent on one node to members connected to the other, with gapless seqs", async () => {
    const [alice, bob] = await Promise.all([createUser(nodeA), createUser(nodeB)]);
    const a = await connectAs(nodeA, alice);
    const b = await connectAs(nodeB, bob);
    const createdOnB = collect(b, "room:created");
    const { room } = await ok(a, "room:create", { name: uniqueName("cluster") });
    await waitFor(() => createdOnB.some((r) => r.id === room.id), 5000, "room:created across nodes");
    await ok(b, "room:join", { roomId: room.id });

    const atB = collect(b, "message:new");
    const atA = collect(a, "message:new");
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ok(i % 2 ? a : b, "message:send", { roomId: room.id, body: `m${i}`, clientMsgId: `c${i}` }),
      ),
    );
    await waitFor(() => atA.length === 20 && atB.length === 20, 5000, "every message on both nodes");
    const seqs = atB.map((m) => m.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});
