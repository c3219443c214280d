// Two nodes on one PostgreSQL database and one Redis: what a team does when it outgrows one
// machine. Runs in `npm run test:postgres` (a user's laptop has neither server).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newClientMsgId } from "../../server/protocol/client-ids.ts";
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

  it("stores a send retried on both nodes at once once, answering both with it, and leaves no gap", async () => {
    // the same person's two tabs on two nodes, each sending what the other does: the two writes
    // race for the same (room, clientMsgId, author), and the one that loses finds the winner's row
    const alice = await createUser(nodeA);
    const [onA, onB] = await Promise.all([connectAs(nodeA, alice), connectAs(nodeB, alice)]);
    const { room } = await ok(onA, "room:create", { name: uniqueName("race") });
    await ok(onB, "room:join", { roomId: room.id });
    const sends = Array.from({ length: 15 }, (_, i) => ({ roomId: room.id, body: `twice ${i}`, clientMsgId: newClientMsgId() }));
    const answers = await Promise.all(sends.flatMap((send) => [ok(onA, "message:send", send), ok(onB, "message:send", send)]));
    for (let i = 0; i < sends.length; i++) {
      const [fromA, fromB] = [answers[2 * i].message, answers[2 * i + 1].message];
      expect(fromB).toEqual(fromA);
      expect(fromA.body).toBe(`twice ${i}`);
    }
    const seqs = answers.map((a) => a.message.seq).sort((x, y) => x - y);
    expect([...new Set(seqs)]).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(await nodeA.komnata.database.db.message.count({ where: { roomId: room.id } })).toBe(15);
  });

  it("shares who is online: a user on one node is online in the other's lists, counts and events", async () => {
    const [alice, bob] = await Promise.all([createUser(nodeA), createUser(nodeB)]);
    const b = await connectAs(nodeB, bob);
    const { room } = await ok(b, "room:create", { name: uniqueName("presence") });
    const joined = collect(b, "room:member-joined");
    const changes = collect(b, "presence:changed");
    const counts = collect(b, "room:online");
    const a = await connectAs(nodeA, alice);
    await ok(a, "room:join", { roomId: room.id });

    // alice is connected to node A only: node B lists her online and counts her
    const onB = async () => (await ok(b, "room:join", { roomId: room.id })).room;
    await waitFor(() => joined.some((j) => j.member.id === alice.id), 5000, "room:member-joined at bob");
    expect(joined.find((j) => j.member.id === alice.id)?.member.online).toBe(true);
    const detail = await onB();
    expect(detail.members.find((m) => m.id === alice.id)?.online).toBe(true);
    expect(detail.onlineCount).toBe(2);
    // (the creation's own count of one may come before or after listening began)
    const roomCounts = () => counts.filter((c) => c.roomId === room.id).map((c) => c.onlineCount);
    await waitFor(() => roomCounts().includes(2), 5000, "room:online at bob");
    expect((await ok(b, "user:get", { username: alice.username })).user.online).toBe(true);

    // a second tab on node B and then closing the one on A: still online, nobody told otherwise
    const a2 = await connectAs(nodeB, alice);
    a.disconnect();
    await new Promise((r) => setTimeout(r, 500));
    expect((await onB()).members.find((m) => m.id === alice.id)?.online).toBe(true);

    // her last connection closes: offline on both nodes, and bob heard it once
    a2.disconnect();
    await waitFor(() => changes.some((c) => c.userId === alice.id && !c.online), 5000, "offline at bob");
    expect((await onB()).members.find((m) => m.id === alice.id)?.online).toBe(false);
    const watcher = await connectAs(nodeA, bob);
    expect((await ok(watcher, "room:join", { roomId: room.id })).room.onlineCount).toBe(1);
    expect(changes.filter((c) => c.userId === alice.id).map((c) => c.online)).toEqual([false]);
    // her second tab and closing the first changed no count; her going did, once
    await waitFor(() => roomCounts().at(-1) === 1, 5000, "room:online as alice goes");
    expect(roomCounts().slice(roomCounts().indexOf(2))).toEqual([2, 1]);
  });

  it("keeps a lobby on one node current with a room it watches, joined and left on the other", async () => {
    const [alice, bob, carol] = await Promise.all([createUser(nodeA), createUser(nodeA), createUser(nodeB)]);
    const a = await connectAs(nodeA, alice);
    const { room } = await ok(a, "room:create", { name: uniqueName("watched") });
    const lobby = await connectAs(nodeB, carol);
    const members = collect(lobby, "room:member-count");
    const online = collect(lobby, "room:online");
    const listed = await ok(lobby, "room:list", { query: room.name, watch: true });
    expect(listed.rooms.map((r) => [r.id, r.memberCount])).toEqual([[room.id, 1]]);

    const b = await connectAs(nodeA, bob);
    await ok(b, "room:join", { roomId: room.id });
    await waitFor(() => members.some((m) => m.memberCount === 2), 5000, "the member count on node B");
    await waitFor(() => online.some((c) => c.roomId === room.id && c.onlineCount === 2), 5000, "the online count on node B");
    await ok(b, "room:leave", { roomId: room.id });
    await waitFor(() => members.at(-1)?.memberCount === 1, 5000, "bob left");
    expect(members).toEqual([
      { roomId: room.id, memberCount: 2 },
      { roomId: room.id, memberCount: 1 },
    ]);
  });

  it("tells the people someone talks with privately, on the other node, when they come and go", async () => {
    const [alice, bob] = await Promise.all([createUser(nodeA), createUser(nodeB)]);
    const b = await connectAs(nodeB, bob);
    const changes = collect(b, "presence:changed");
    // a conversation started on node A while both are online, no room shared (nothing to hear yet)
    const a = await connectAs(nodeA, alice);
    await ok(a, "dm:send", { toUsername: bob.username, body: "across", clientMsgId: "x1" });
    a.disconnect();
    await waitFor(() => changes.some((c) => c.userId === alice.id && !c.online), 5000, "alice offline at bob, on node B");
    // and back, on node A: known as her conversation there now
    await connectAs(nodeA, alice);
    await waitFor(() => changes.filter((c) => c.userId === alice.id).at(-1)?.online === true, 5000, "alice online again at bob");
    expect(changes.filter((c) => c.userId === alice.id).map((c) => c.online)).toEqual([false, true]);
  });
});
