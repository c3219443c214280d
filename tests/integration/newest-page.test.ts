// The newest page of a room or conversation (what every room:join and reload shows) is kept on
// SQLite while nothing in it changes (message-store/sqlite.ts). After every kind of change it must
// be exactly what an uncached read of the same messages answers, never what it was.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MAX_POSITION } from "../../server/protocol/fields.ts";
import type { WireMessage } from "../../server/protocol/index.ts";
import { JOIN_PAGE } from "../../server/protocol/limits.ts";
import {
  type ClientSocket,
  closeSockets,
  connectAs,
  createUser,
  ok,
  roomWith,
  shareFile,
  startServer,
  type TestServer,
} from "../helpers/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => closeSockets());
afterAll(async () => server.close());

describe("the newest page", () => {
  it("a room's join answers every change made since the last join, as an uncached read does", async () => {
    const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
    const { roomId, sockets } = await roomWith(server, alice, bob);
    const [a, b] = sockets;
    const sent = [];
    for (let i = 1; i <= JOIN_PAGE + 2; i++) {
      sent.push((await ok(a, "message:send", { roomId, body: `message ${i}`, clientMsgId: `n${i}` })).message);
    }
    const newest = sent.at(-1) as (typeof sent)[number];
    const original = sent.at(-2) as (typeof sent)[number];

    /** The join's page after `change`, checked against a read by seq (which nothing keeps). */
    const joinAfter = async (what: string, change: () => Promise<unknown>) => {
      await ok(b, "room:join", { roomId });
      await change();
      const joined = await ok(b, "room:join", { roomId });
      const read = await ok(b, "room:history", { roomId, beforeSeq: MAX_POSITION, limit: JOIN_PAGE });
      expect(joined.messages, what).toEqual(read.messages);
      expect(joined.hasMore, what).toBe(read.hasMore);
      return joined.messages;
    };
    const find = (messages: WireMessage[], id: string) => messages.find((m) => m.id === id);

    let page = await joinAfter("an edit", () => ok(a, "message:edit", { roomId, messageId: newest.id, body: "edited" }));
    expect(find(page, newest.id)).toMatchObject({ body: "edited" });
    page = await joinAfter("a reaction", () => ok(b, "reaction:add", { roomId, messageId: newest.id, emoji: "👍" }));
    expect(find(page, newest.id)?.reactions).toHaveLength(1);
    page = await joinAfter("a pin", () => ok(a, "message:pin", { roomId, messageId: newest.id, pinned: true }));
    expect(find(page, newest.id)?.pinned).toBeDefined();
    let reply = { id: "" };
    page = await joinAfter("a reply", async () => {
      ({ message: reply } = await ok(b, "message:send", { roomId, body: "a reply", clientMsgId: "r1", replyTo: original.id }));
    });
    expect(find(page, original.id)).toMatchObject({ replyCount: 1 });
    page = await joinAfter("the replied-to message edited", () =>
      ok(a, "message:edit", { roomId, messageId: original.id, body: "the original, edited" }),
    );
    expect(find(page, reply.id)?.replyTo).toMatchObject({ excerpt: "the original, edited" });
    page = await joinAfter("a deletion", () => ok(b, "message:delete", { roomId, messageId: reply.id }));
    expect(find(page, original.id)).toMatchObject({ replyCount: 0 });
    let shared = { id: "", file: { id: "" } } as WireMessage;
    page = await joinAfter("a file shared", async () => {
      shared = await shareFile(server, alice, roomId, "minutes.txt", "the minutes", "f1");
    });
    expect(find(page, shared.id)?.file).toMatchObject({ name: "minutes.txt" });
    page = await joinAfter("a file removed", () => ok(a, "file:remove", { fileId: shared.file?.id as string }));
    expect(find(page, shared.id)?.file).toMatchObject({ removed: true });
    page = await joinAfter("a message sent over HTTP", async () => {
      const res = await fetch(`${server.url}/api/rooms/${roomId}/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${bob.token}`, "content-type": "application/json" },
        body: JSON.stringify({ body: "from a script", clientMsgId: "h1" }),
      });
      expect(res.status).toBe(201);
    });
    expect(page.at(-1)).toMatchObject({ body: "from a script" });
    expect(page).toHaveLength(JOIN_PAGE);
  });

  it("a conversation's newest history follows its edits and new messages", async () => {
    const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
    const [a, b]: ClientSocket[] = [await connectAs(server, alice), await connectAs(server, bob)];
    const { message } = await ok(a, "dm:send", { toUsername: bob.username, body: "hello", clientMsgId: "d1" });
    const { conversationId } = message;
    const newest = () => ok(b, "dm:history", { conversationId });
    expect((await newest()).messages.map((m) => m.body)).toEqual(["hello"]);
    await ok(a, "dm:edit", { conversationId, messageId: message.id, body: "hello there" });
    expect((await newest()).messages.map((m) => m.body)).toEqual(["hello there"]);
    await ok(b, "dm:send", { toUsername: alice.username, body: "hi", clientMsgId: "d2" });
    expect((await newest()).messages.map((m) => m.body)).toEqual(["hello there", "hi"]);
    await ok(a, "dm:delete", { conversationId, messageId: message.id });
    expect((await newest()).messages.map((m) => m.deletedAt === null)).toEqual([false, true]);
  });
});
