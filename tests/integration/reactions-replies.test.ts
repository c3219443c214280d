// Reactions and replies over the wire (issue 11): a reaction counts once per person and any
// member may add one; a reply quotes its original (in the same room only) and raises its count;
// every message they change is announced and comes back through the change feed after a
// disconnect; the same in a private conversation.
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
  settle,
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

const room = (owner: TestUser, ...others: TestUser[]) => roomWith(server, owner, ...others);

const people = (users: TestUser[]) => users.map((u) => ({ id: u.id, username: u.username }));

describe("reactions", () => {
  it("counts each person once per emoji, toggles, tells everyone live, and keeps them in history", async () => {
    const [alice, bob, carol] = await Promise.all([createUser(server), createUser(server), createUser(server)]);
    const { roomId, sockets } = await room(alice, bob, carol);
    const [a, b, c] = sockets;
    const { message } = await ok(a, "message:send", { roomId, body: "ship it?", clientMsgId: "q" });
    const seenByCarol = collect(c, "message:updated");

    const first = await ok(b, "reaction:add", { roomId, messageId: message.id, emoji: "👍" });
    expect(first.message).toMatchObject({ rev: 2, reactions: [{ emoji: "👍", count: 1, users: people([bob]) }] });
    // adding it again is a no-op, told to nobody
    const twice = await ok(b, "reaction:add", { roomId, messageId: message.id, emoji: "👍" });
    expect(twice.message.rev).toBe(2);
    await ok(c, "reaction:add", { roomId, messageId: message.id, emoji: "👍" });
    await ok(a, "reaction:add", { roomId, messageId: message.id, emoji: ":shipit:" });
    const last = await ok(c, "reaction:add", { roomId, messageId: message.id, emoji: "🇺🇦" });
    expect(last.message.reactions).toEqual([
      { emoji: "👍", count: 2, users: people([bob, carol]) },
      { emoji: ":shipit:", count: 1, users: people([alice]) },
      { emoji: "🇺🇦", count: 1, users: people([carol]) },
    ]);
    const back = await ok(b, "reaction:remove", { roomId, messageId: message.id, emoji: "👍" });
    expect(back.message.reactions[0]).toEqual({ emoji: "👍", count: 1, users: people([carol]) });
    // taking back what is not there changes nothing
    expect((await ok(b, "reaction:remove", { roomId, messageId: message.id, emoji: "👍" })).message.rev).toBe(back.message.rev);

    await settle(a, b, c);
    expect(seenByCarol.map((m) => m.rev)).toEqual([2, 3, 4, 5, 6]);
    expect(seenByCarol.at(-1)).toEqual(back.message);
    const history = await ok(a, "room:history", { roomId });
    expect(history.messages).toEqual([back.message]);
  });

  it("refuses what is not one emoji, strangers, deleted messages, and messages of another room", async () => {
    const [alice, bob, carol] = await Promise.all([createUser(server), createUser(server), createUser(server)]);
    const { roomId, sockets } = await room(alice, bob);
    const [a] = sockets;
    const { message } = await ok(a, "message:send", { roomId, body: "hi", clientMsgId: "h" });
    for (const emoji of ["", "ab", "👍👍", "<img src=x onerror=alert(1)>", `:${"x".repeat(70)}:`, ":Bad Name:"]) {
      expect(await request(a, "reaction:add", { roomId, messageId: message.id, emoji }), emoji).toMatchObject({
        ok: false,
        error: { code: "invalid_input" },
      });
    }
    expect(
      await request(a, "reaction:add", { roomId, conversationId: "x", messageId: message.id, emoji: "👍" } as never),
    ).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    const stranger = await connectAs(server, carol);
    expect(await request(stranger, "reaction:add", { roomId, messageId: message.id, emoji: "👍" })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    const other = await ok(stranger, "room:create", { name: uniqueName("other") });
    expect(await request(stranger, "reaction:add", { roomId: other.room.id, messageId: message.id, emoji: "👍" })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    await ok(a, "reaction:add", { roomId, messageId: message.id, emoji: "👍" });
    const tombstone = await ok(a, "message:delete", { roomId, messageId: message.id });
    expect(tombstone.message.reactions).toEqual([]);
    expect(await request(a, "reaction:add", { roomId, messageId: message.id, emoji: "🎉" })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
  });
});

describe("replies", () => {
  it("quote their original, raise its count live, and follow its edits and deletion", async () => {
    const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
    const { roomId, sockets } = await room(alice, bob);
    const [a, b] = sockets;
    const { message: original } = await ok(a, "message:send", {
      roomId,
      body: "Release on Friday?\nDetails in the doc.",
      clientMsgId: "o",
    });
    const newOnes = collect(a, "message:new");
    const updates = collect(a, "message:updated");

    const { message: reply } = await ok(b, "message:send", { roomId, body: "Yes", clientMsgId: "r1", replyTo: original.id });
    expect(reply).toMatchObject({
      seq: 2,
      rev: 2,
      replyCount: 0,
      replyTo: { id: original.id, seq: 1, author: people([alice])[0], excerpt: "Release on Friday?", deleted: false },
    });
    await waitFor(() => newOnes.length === 1 && updates.length === 1, 5000, "the reply and the original's count");
    expect(updates[0]).toMatchObject({ id: original.id, replyCount: 1, rev: 3 });

    // a resend of the same reply is the same message, and counts once
    expect((await ok(b, "message:send", { roomId, body: "Yes", clientMsgId: "r1", replyTo: original.id })).message).toEqual(
      reply,
    );
    await ok(b, "message:send", { roomId, body: "And Monday", clientMsgId: "r2", replyTo: original.id });
    await ok(a, "message:edit", { roomId, messageId: original.id, body: "Release on Thursday?" });
    await settle(a, b);
    const byId = (messages: WireMessage[]) => new Map(messages.map((m) => [m.id, m]));
    let history = byId((await ok(a, "room:history", { roomId })).messages);
    expect(history.get(original.id)?.replyCount).toBe(2);
    expect(history.get(reply.id)?.replyTo?.excerpt).toBe("Release on Thursday?");
    // the edit was announced for the original and both replies that quote it
    expect(updates.slice(-3).map((m) => m.seq)).toEqual([1, 2, 3]);

    // a deleted reply no longer counts; a deleted original shows as deleted in its replies
    await ok(b, "message:delete", { roomId, messageId: reply.id });
    await ok(a, "message:delete", { roomId, messageId: original.id });
    history = byId((await ok(a, "room:history", { roomId })).messages);
    expect(history.get(original.id)).toMatchObject({ replyCount: 1, body: "", replyTo: null });
    expect([...history.values()].find((m) => m.seq === 3)?.replyTo).toMatchObject({ excerpt: "", deleted: true });
  });

  it("are refused for a message of another room, an unknown one, or a deleted one, and take no seq", async () => {
    const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
    const { roomId, sockets } = await room(alice, bob);
    const [a] = sockets;
    const elsewhere = await ok(a, "room:create", { name: uniqueName("elsewhere") });
    const { message: there } = await ok(a, "message:send", { roomId: elsewhere.room.id, body: "there", clientMsgId: "t" });
    const { message: gone } = await ok(a, "message:send", { roomId, body: "gone", clientMsgId: "g" });
    await ok(a, "message:delete", { roomId, messageId: gone.id });
    for (const replyTo of [there.id, "no-such-message", gone.id]) {
      expect(await request(a, "message:send", { roomId, body: "re", clientMsgId: `x${replyTo.length}`, replyTo })).toMatchObject({
        ok: false,
        error: { code: "not_found" },
      });
    }
    const { message } = await ok(a, "message:send", { roomId, body: "next", clientMsgId: "n" });
    expect(message.seq).toBe(2);
  });
});

describe("the change feed after a disconnect", () => {
  it("gives back exactly the reactions, replies and counts missed, in a room and a conversation", async () => {
    const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
    const { roomId, sockets } = await room(alice, bob);
    const [a, b] = sockets;
    const { message } = await ok(a, "message:send", { roomId, body: "lunch?", clientMsgId: "l" });
    const seen = await ok(b, "room:sync", { roomId, afterRev: 0 });
    b.disconnect();
    await ok(a, "reaction:add", { roomId, messageId: message.id, emoji: "🍕" });
    const { message: reply } = await ok(a, "message:send", { roomId, body: "at noon", clientMsgId: "n", replyTo: message.id });
    const back = await connectAs(server, bob);
    const sync = await ok(back, "room:sync", { roomId, afterRev: seen.rev });
    expect(
      sync.messages.map((m) => [m.seq, m.rev, m.replyCount, m.reactions.map((r) => r.emoji), m.replyTo?.id ?? null]),
    ).toEqual([
      [2, 3, 0, [], message.id],
      [1, 4, 1, ["🍕"], null],
    ]);
    expect(sync.messages[0]).toEqual(reply);

    // a private conversation: the same requests with conversationId, and dm:updated
    const { message: dm } = await ok(a, "dm:send", { toUsername: bob.username, body: "psst", clientMsgId: "p" });
    const { conversationId } = dm;
    const updated = collect(back, "dm:updated");
    await ok(back, "reaction:add", { conversationId, messageId: dm.id, emoji: "👀" });
    const { message: dmReply } = await ok(back, "dm:send", { conversationId, body: "what?", clientMsgId: "w", replyTo: dm.id });
    expect(dmReply.replyTo).toMatchObject({ id: dm.id, excerpt: "psst" });
    await waitFor(() => updated.length === 2, 5000, "dm:updated");
    expect(updated[1]).toMatchObject({ id: dm.id, replyCount: 1, reactions: [{ emoji: "👀", count: 1 }] });
    const stranger = await connectAs(server, await createUser(server));
    expect(await request(stranger, "reaction:add", { conversationId, messageId: dm.id, emoji: "👀" })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    expect(await request(back, "dm:send", { conversationId, body: "x", clientMsgId: "y", replyTo: message.id })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
  });
});
