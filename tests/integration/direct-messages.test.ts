// Private messages over the wire: only the two participants ever read, receive or list them.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  closeSockets,
  collect,
  connectAs,
  createUser,
  ok,
  request,
  settle,
  startServer,
  type TestServer,
  waitFor,
} from "../helpers/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => closeSockets());
afterAll(async () => server.close());

describe("private messages", () => {
  it("reach an offline user later as unread, and clear when read", async () => {
    const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
    const a = await connectAs(server, alice);
    const first = await ok(a, "dm:send", { toUsername: bob.username.toUpperCase(), body: "are you there?", clientMsgId: "d1" });
    expect(first.message).toMatchObject({
      seq: 1,
      body: "are you there?",
      author: { id: alice.id },
      conversationId: expect.any(String),
    });
    const { conversationId } = first.message;
    await ok(a, "dm:send", { conversationId, body: "ping me when back", clientMsgId: "d2" });
    const row = await server.komnata.database.db.directMessage.findFirst({ where: { conversationId, seq: 2 } });
    expect(row?.body).toBe("ping me when back");

    // Bob signs in later: the conversation is listed with two unread messages.
    const b = await connectAs(server, bob);
    const { conversations } = await ok(b, "dm:list", {});
    expect(conversations).toEqual([
      {
        id: conversationId,
        with: { id: alice.id, username: alice.username, online: true },
        lastSeq: 2,
        lastMessageAt: expect.any(String),
        unread: 2,
      },
    ]);
    const history = await ok(b, "dm:history", { conversationId, limit: 50 });
    expect(history.messages.map((m) => m.body)).toEqual(["are you there?", "ping me when back"]);
    expect(await ok(b, "dm:read", { conversationId, seq: 2 })).toMatchObject({ unread: 0 });
    expect((await ok(b, "dm:list", {})).conversations[0].unread).toBe(0);
    // reading never goes backwards
    expect(await ok(b, "dm:read", { conversationId, seq: 1 })).toMatchObject({ unread: 0 });
    // what Alice wrote is not unread for her; Bob's reply is
    expect((await ok(a, "dm:list", {})).conversations[0]).toMatchObject({ with: { id: bob.id }, unread: 0 });
    await ok(b, "dm:send", { conversationId, body: "back now", clientMsgId: "b1" });
    expect((await ok(a, "dm:list", {})).conversations[0]).toMatchObject({ unread: 1, lastSeq: 3 });
    expect((await ok(b, "dm:list", {})).conversations[0]).toMatchObject({ unread: 0 });
  });

  it("are delivered live to both participants and nobody else, once per clientMsgId", async () => {
    const [alice, bob, carol] = await Promise.all([createUser(server), createUser(server), createUser(server)]);
    const [a, b, c] = await Promise.all([connectAs(server, alice), connectAs(server, bob), connectAs(server, carol)]);
    const [atA, atB, atC] = [collect(a, "dm:new"), collect(b, "dm:new"), collect(c, "dm:new")];
    const sent = await ok(a, "dm:send", { toUsername: bob.username, body: "<i>secret</i>", clientMsgId: "s1" });
    await waitFor(() => atA.length === 1 && atB.length === 1, 5000, "dm:new at both");
    expect(atB[0]).toEqual(sent.message);
    const again = await ok(a, "dm:send", { toUsername: bob.username, body: "<i>secret</i>", clientMsgId: "s1" });
    expect(again.message).toEqual(sent.message);
    const reply = await ok(b, "dm:send", { conversationId: sent.message.conversationId, body: "got it", clientMsgId: "r1" });
    expect(reply.message.seq).toBe(2);
    await settle(a, b, c);
    expect(atC).toEqual([]);
    expect(atB.length).toBe(2);
    expect(await server.komnata.database.db.directMessage.count({ where: { conversationId: sent.message.conversationId } })).toBe(
      2,
    );
  });

  it("tell the two when the other comes online and goes offline, a conversation started while online too, and nobody else", async () => {
    const [alice, bob, carol, dave] = await Promise.all([
      createUser(server),
      createUser(server),
      createUser(server),
      createUser(server),
    ]);
    // alice and bob talked before; they share no room
    const a = await connectAs(server, alice);
    await ok(a, "dm:send", { toUsername: bob.username, body: "earlier", clientMsgId: "e1" });
    const c = await connectAs(server, carol);
    const [atA, atC] = [collect(a, "presence:changed"), collect(c, "presence:changed")];
    const b = await connectAs(server, bob);
    await waitFor(() => atA.some((p) => p.userId === bob.id && p.online), 5000, "bob online at alice");
    expect((await ok(a, "dm:list", {})).conversations[0].with).toMatchObject({ id: bob.id, online: true });
    b.disconnect();
    await waitFor(() => atA.some((p) => p.userId === bob.id && !p.online), 5000, "bob offline at alice");
    expect(atA.filter((p) => p.userId === bob.id)).toEqual([
      { userId: bob.id, username: bob.username, online: true },
      { userId: bob.id, username: bob.username, online: false },
    ]);

    // dave and carol, both online, start talking now: each hears when the other goes
    const d = await connectAs(server, dave);
    const atD = collect(d, "presence:changed");
    await ok(d, "dm:send", { toUsername: carol.username, body: "hi", clientMsgId: "h1" });
    c.disconnect();
    await waitFor(() => atD.some((p) => p.userId === carol.id && !p.online), 5000, "carol offline at dave");
    await settle(a);
    // carol shares nothing with alice or bob: alice heard nothing of her
    expect(atA.filter((p) => p.userId === carol.id || p.userId === dave.id)).toEqual([]);
    expect(atC.filter((p) => p.userId === bob.id || p.userId === alice.id)).toEqual([]);
  });

  it("refuse a third user guessing the id, on every request", async () => {
    const [alice, bob, carol] = await Promise.all([createUser(server), createUser(server), createUser(server)]);
    const a = await connectAs(server, alice);
    const { message } = await ok(a, "dm:send", { toUsername: bob.username, body: "between us", clientMsgId: "p1" });
    const c = await connectAs(server, carol);
    const { conversationId } = message;
    for (const [event, payload] of [
      ["dm:history", { conversationId, limit: 10 }],
      ["dm:send", { conversationId, body: "let me in", clientMsgId: "x" }],
      ["dm:read", { conversationId, seq: 1 }],
    ] as const) {
      const reply = await request(c, event, payload as never);
      expect(reply).toEqual({ ok: false, error: { code: "forbidden", message: expect.any(String) } });
    }
    expect((await ok(c, "dm:list", {})).conversations).toEqual([]);
    const unknown = await request(c, "dm:history", { conversationId: "no-such-conversation", limit: 10 });
    expect(!unknown.ok && unknown.error.code).toBe("not_found");
    expect(await server.komnata.database.db.directMessage.count({ where: { conversationId } })).toBe(1);
  });

  it("user:get finds a person by name in any case, with presence, and says when nobody has it", async () => {
    const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
    const a = await connectAs(server, alice);
    expect(await ok(a, "user:get", { username: bob.username.toUpperCase() })).toMatchObject({
      user: { id: bob.id, username: bob.username, online: false },
    });
    const nobody = await request(a, "user:get", { username: "no_such_user" });
    expect(!nobody.ok && nobody.error.code).toBe("not_found");
  });

  it("user:search finds people by part of their name, those it starts with first, with presence", async () => {
    const tag = `q${Date.now().toString(36).slice(-5)}`;
    const [inside, start, other, wild] = await Promise.all([
      createUser(server, `zz_${tag}_x`),
      createUser(server, `${tag}_first`),
      createUser(server, `unrelated_${Date.now().toString(36)}`),
      createUser(server, `${tag}_y`),
    ]);
    const a = await connectAs(server, inside);
    const { users } = await ok(a, "user:search", { query: tag.toUpperCase() });
    // starts-with first, then by name; the searcher is listed like anyone else (online now)
    expect(users.map((u) => u.username)).toEqual([start.username, wild.username, inside.username]);
    expect(users.find((u) => u.id === inside.id)?.online).toBe(true);
    expect(users.find((u) => u.id === start.id)?.online).toBe(false);
    expect(users.some((u) => u.id === other.id)).toBe(false);
    // LIKE's wildcards are letters here
    expect((await ok(a, "user:search", { query: "%" })).users).toEqual([]);
    expect((await ok(a, "user:search", { query: `${tag}_`, limit: 1 })).users.map((u) => u.id)).toEqual([start.id]);
    const blank = await request(a, "user:search", { query: "  " });
    expect(!blank.ok && blank.error).toMatchObject({ code: "invalid_input", message: "Type at least one letter." });
  });

  it("refuse a message to yourself, to nobody, and a payload naming both or neither", async () => {
    const alice = await createUser(server);
    const a = await connectAs(server, alice);
    const self = await request(a, "dm:send", { toUsername: alice.username, body: "hi me", clientMsgId: "m1" });
    expect(!self.ok && self.error.code).toBe("invalid_input");
    const nobody = await request(a, "dm:send", { toUsername: "no_such_user", body: "hello?", clientMsgId: "m2" });
    expect(!nobody.ok && nobody.error.code).toBe("not_found");
    const both = await request(a, "dm:send", { toUsername: "x_user", conversationId: "c", body: "x", clientMsgId: "m3" });
    expect(!both.ok && both.error.code).toBe("invalid_input");
    const neither = await request(a, "dm:send", { body: "x", clientMsgId: "m4" } as never);
    expect(!neither.ok && neither.error.code).toBe("invalid_input");
  });
});
