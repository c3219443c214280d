// Edits, deletions and the change feed over the wire (issue 11): only the author changes a
// message; a deletion leaves a tombstone that keeps the history gapless and takes the file's
// bytes with it; every change raises the room's rev, and `room:sync` gives a client that was
// away exactly what changed.
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { WireMessage } from "../../server/protocol/index.ts";
import {
  closeSockets,
  collect,
  connectAs,
  createUser,
  ok,
  request,
  roomWith,
  shareFile,
  startServer,
  type TestServer,
  type TestUser,
  uniqueName,
  waitFor,
} from "../helpers/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => closeSockets());
afterAll(async () => server.close());

const db = () => server.komnata.database.db;

const room = (owner: TestUser, ...others: TestUser[]) => roomWith(server, owner, ...others);

describe("editing and deleting room messages", () => {
  it("lets the author edit: everyone sees the new text live, marked edited, and the old one is kept for moderation", async () => {
    const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
    const { roomId, sockets } = await room(alice, bob);
    const [a, b] = sockets;
    const { message } = await ok(a, "message:send", { roomId, body: "teh plan", clientMsgId: "e1" });
    expect(message).toMatchObject({ seq: 1, rev: 1, editedAt: null, deletedAt: null });
    const seen = collect(b, "message:updated");

    const edited = await ok(a, "message:edit", { roomId, messageId: message.id, body: "  the plan  " });
    expect(edited.message).toMatchObject({ id: message.id, seq: 1, body: "the plan", rev: 2, deletedAt: null });
    expect(Date.parse(edited.message.editedAt as string)).toBeGreaterThanOrEqual(Date.parse(message.createdAt));
    await waitFor(() => seen.length === 1, 5000, "message:updated");
    expect(seen[0]).toEqual(edited.message);
    expect((await ok(b, "room:history", { roomId })).messages).toEqual([edited.message]);
    const versions = await db().messageVersion.findMany({ where: { messageId: message.id } });
    expect(versions.map((v) => v.body)).toEqual(["teh plan"]);

    // the same text again changes nothing and tells nobody
    const same = await ok(a, "message:edit", { roomId, messageId: message.id, body: "the plan" });
    expect(same.message.rev).toBe(2);
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toHaveLength(1);
  });

  it("refuses others: only the author edits or deletes, only members ask, and a body follows the send rules", async () => {
    const [alice, bob, carol] = await Promise.all([createUser(server), createUser(server), createUser(server)]);
    const { roomId, sockets } = await room(alice, bob);
    const [a, b] = sockets;
    const { message } = await ok(a, "message:send", { roomId, body: "mine", clientMsgId: "r1" });
    for (const [event, payload] of [
      ["message:edit", { roomId, messageId: message.id, body: "yours now" }],
      ["message:delete", { roomId, messageId: message.id }],
    ] as const) {
      expect(await request(b, event, payload as never)).toMatchObject({ ok: false, error: { code: "forbidden" } });
      const c = await connectAs(server, carol);
      expect(await request(c, event, payload as never)).toMatchObject({ ok: false, error: { code: "forbidden" } });
    }
    expect(await request(a, "message:edit", { roomId, messageId: "no-such-message", body: "x" })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await request(a, "message:edit", { roomId, messageId: message.id, body: "   " })).toMatchObject({
      ok: false,
      error: { code: "invalid_input" },
    });
    // a message of another room is not found through this one
    const other = await ok(a, "room:create", { name: uniqueName("other") });
    expect(await request(a, "message:edit", { roomId: other.room.id, messageId: message.id, body: "moved" })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect((await ok(a, "room:history", { roomId })).messages[0]).toMatchObject({ body: "mine", editedAt: null, rev: 1 });
  });

  it("leaves a tombstone in place of a deleted message, and its file goes with it", async () => {
    const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
    const { roomId, sockets } = await room(alice, bob);
    const [a, b] = sockets;
    await ok(a, "message:send", { roomId, body: "one", clientMsgId: "t1" });
    const withFile = await shareFile(server, alice, roomId, "oops.txt", "not for everyone", "t2");
    const fileId = withFile.file?.id as string;
    await ok(a, "message:send", { roomId, body: "three", clientMsgId: "t3" });
    const seen = collect(b, "message:updated");

    const { message: tombstone } = await ok(a, "message:delete", { roomId, messageId: withFile.id });
    expect(tombstone).toMatchObject({ id: withFile.id, seq: 2, body: "", author: { id: alice.id }, editedAt: null });
    expect(tombstone.deletedAt).not.toBeNull();
    expect(tombstone.file).toBeUndefined();
    await waitFor(() => seen.length === 1, 5000, "message:updated");
    expect(seen[0]).toEqual(tombstone);

    // the history stays gapless, the tombstone in its place
    const history = await ok(b, "room:history", { roomId });
    expect(history.messages.map((m) => [m.seq, m.body])).toEqual([
      [1, "one"],
      [2, ""],
      [3, "three"],
    ]);
    // the file is gone: not downloadable, not listed, its bytes off the disk
    const download = await fetch(`${server.url}/api/files/${fileId}`, { headers: { authorization: `Bearer ${bob.token}` } });
    expect(download.status).toBe(404);
    expect((await ok(b, "file:list", { roomId })).files).toEqual([]);
    expect(existsSync(path.join(server.database.dir, "uploads", fileId.slice(0, 2), fileId))).toBe(false);

    // nothing more can be done to it
    expect(await request(a, "message:delete", { roomId, messageId: withFile.id })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await request(a, "message:edit", { roomId, messageId: withFile.id, body: "back" })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
  });
});

describe("the change feed", () => {
  it("gives a client that was away exactly what was sent, edited and deleted meanwhile, in rev order", async () => {
    const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
    const { roomId, sockets } = await room(alice, bob);
    const [a, b] = sockets;
    const sent: WireMessage[] = [];
    for (let i = 1; i <= 4; i++)
      sent.push((await ok(a, "message:send", { roomId, body: `m${i}`, clientMsgId: `s${i}` })).message);
    const caughtUp = await ok(b, "room:sync", { roomId, afterRev: 0 });
    expect(caughtUp).toMatchObject({ rev: 4, hasMore: false });
    expect(caughtUp.messages.map((m) => m.body)).toEqual(["m1", "m2", "m3", "m4"]);
    b.disconnect();

    // while Bob is away: an edit, a deletion, a new message, another edit
    await ok(a, "message:edit", { roomId, messageId: sent[1].id, body: "m2, better" });
    await ok(a, "message:delete", { roomId, messageId: sent[2].id });
    await ok(a, "message:send", { roomId, body: "m5", clientMsgId: "s5" });
    await ok(a, "message:edit", { roomId, messageId: sent[0].id, body: "m1, at last" });

    const back = await connectAs(server, bob);
    const sync = await ok(back, "room:sync", { roomId, afterRev: caughtUp.rev });
    expect(sync).toMatchObject({ rev: 8, hasMore: false });
    expect(sync.messages.map((m) => [m.seq, m.rev, m.body, m.deletedAt !== null])).toEqual([
      [2, 5, "m2, better", false],
      [3, 6, "", true],
      [5, 7, "m5", false],
      [1, 8, "m1, at last", false],
    ]);
    // nothing more after that, and pages of the feed join up
    expect(await ok(back, "room:sync", { roomId, afterRev: sync.rev })).toMatchObject({ messages: [], rev: 8, hasMore: false });
    const first = await ok(back, "room:sync", { roomId, afterRev: 4, limit: 3 });
    expect(first).toMatchObject({ rev: 7, hasMore: true });
    const rest = await ok(back, "room:sync", { roomId, afterRev: first.rev, limit: 3 });
    expect([...first.messages, ...rest.messages]).toEqual(sync.messages);

    // a removed file changes its message too
    const withFile = await shareFile(server, alice, roomId, "a.txt", "a", "f1");
    await ok(a, "file:remove", { fileId: withFile.file?.id as string });
    const afterRemoval = await ok(back, "room:sync", { roomId, afterRev: sync.rev });
    expect(afterRemoval.messages.map((m) => [m.seq, m.rev, m.file?.removed ?? false])).toEqual([[6, 10, true]]);
    expect(afterRemoval.rev).toBe(10);

    // only members read it
    const stranger = await connectAs(server, await createUser(server));
    expect(await request(stranger, "room:sync", { roomId, afterRev: 0 })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    expect(await request(back, "room:sync", { roomId, afterRev: -1 })).toMatchObject({
      ok: false,
      error: { code: "invalid_input" },
    });
  });

  it("works the same in a private conversation, for its two participants only", async () => {
    const [alice, bob, carol] = await Promise.all([createUser(server), createUser(server), createUser(server)]);
    const a = await connectAs(server, alice);
    const b = await connectAs(server, bob);
    const { message } = await ok(a, "dm:send", { toUsername: bob.username, body: "see you at 5", clientMsgId: "p1" });
    const { conversationId } = message;
    const seen = collect(b, "dm:updated");
    const edited = await ok(a, "dm:edit", { conversationId, messageId: message.id, body: "see you at 6" });
    expect(edited.message).toMatchObject({ body: "see you at 6", rev: 2 });
    await waitFor(() => seen.length === 1, 5000, "dm:updated");
    expect(await request(b, "dm:delete", { conversationId, messageId: message.id })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    const c = await connectAs(server, carol);
    expect(await request(c, "dm:sync", { conversationId, afterRev: 0 })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    await ok(a, "dm:delete", { conversationId, messageId: message.id });
    const sync = await ok(b, "dm:sync", { conversationId, afterRev: 2 });
    expect(sync.messages).toHaveLength(1);
    expect(sync.messages[0]).toMatchObject({ seq: 1, rev: 3, body: "" });
    expect(sync.rev).toBe(3);
    expect(
      (await db().directMessageVersion.findMany({ where: { messageId: message.id }, orderBy: { replacedAt: "asc" } })).map(
        (v) => v.body,
      ),
    ).toEqual(["see you at 5", "see you at 6"]);
  });
});
