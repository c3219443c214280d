import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { newClientMsgId } from "../../server/protocol/index.ts";
import { usingPostgres } from "../helpers/database.ts";
import {
  closeSockets,
  collect,
  connectAs,
  createUser,
  ok,
  openSocket,
  postJson,
  request,
  settle,
  startServer,
  type TestServer,
  uniqueName,
  waitFor,
} from "../helpers/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => closeSockets());
afterAll(async () => server.close());

it("runs on the database this suite was asked for", async () => {
  const health = await (await fetch(`${server.url}/api/health`)).json();
  expect(health).toMatchObject({ ok: true, provider: usingPostgres ? "postgresql" : "sqlite" });
});

describe("accounts over HTTP", () => {
  it("registers, refuses a taken name case-insensitively, and issues a token", async () => {
    const username = uniqueName("Alice");
    const created = await postJson(`${server.url}/api/register`, { username, password: "long enough" });
    expect(created.status).toBe(201);
    expect(created.body.user).toEqual({ id: expect.any(String), username });

    const again = await postJson(`${server.url}/api/register`, { username: username.toUpperCase(), password: "long enough" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("conflict");

    const token = await postJson(`${server.url}/api/token`, { username: username.toLowerCase(), password: "long enough" });
    expect(token.status).toBe(200);
    expect(typeof token.body.token).toBe("string");

    const row = await server.komnata.database.db.user.findUnique({ where: { id: created.body.user.id } });
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row?.passwordHash).not.toContain("long enough");
  });

  it.each([
    [{ username: "ab", password: "long enough" }, "username"],
    [{ username: "x".repeat(33), password: "long enough" }, "username"],
    [{ username: "bad name!", password: "long enough" }, "username"],
    [{ username: "fine_name", password: "short" }, "password"],
    [{ username: 42, password: "long enough" }, "username"],
  ])("refuses invalid registration %j", async (body, field) => {
    const res = await postJson(`${server.url}/api/register`, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_input");
    // said for people, naming the field in its own words
    expect(res.body.error.message.toLowerCase()).toContain(field);
  });

  it("answers a wrong password and an unknown user the same way", async () => {
    const user = await createUser(server);
    const wrong = await postJson(`${server.url}/api/token`, { username: user.username, password: "not the password" });
    const unknown = await postJson(`${server.url}/api/token`, { username: uniqueName("ghost"), password: "not the password" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it("refuses a body that is not JSON", async () => {
    const res = await fetch(`${server.url}/api/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{nope",
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("invalid_input");
  });
});

describe("rooms and messages over Socket.IO", () => {
  it("creates, joins, sends: the sender gets an ack, the stored row exists, the other member gets it live, a non-member gets nothing", async () => {
    const [alice, bob, carol] = await Promise.all([createUser(server), createUser(server), createUser(server)]);
    const [a, b, c] = await Promise.all([connectAs(server, alice), connectAs(server, bob), connectAs(server, carol)]);
    const createdSeen = collect(c, "room:created");

    const { room } = await ok(a, "room:create", { name: uniqueName("General"), topic: "Everything" });
    expect(room).toMatchObject({ topic: "Everything", memberCount: 1, onlineCount: 1, lastMessageAt: null });
    await waitFor(() => createdSeen.some((r) => r.id === room.id), 5000, "room:created");

    const joined = await ok(b, "room:join", { roomId: room.id });
    expect(joined.messages).toEqual([]);
    expect(joined.hasMore).toBe(false);
    expect(joined.room.memberCount).toBe(2);
    expect(joined.room.members.map((m) => m.username).sort()).toEqual([alice.username, bob.username].sort());
    expect(joined.room.members.every((m) => m.online)).toBe(true);

    const atBob = collect(b, "message:new");
    const atAlice = collect(a, "message:new");
    const atCarol = collect(c, "message:new");

    const { message } = await ok(a, "message:send", {
      roomId: room.id,
      body: "  <script>alert(1)</script> hi  ",
      clientMsgId: "m1",
    });
    expect(message).toMatchObject({
      roomId: room.id,
      seq: 1,
      body: "<script>alert(1)</script> hi",
      author: { id: alice.id, username: alice.username },
      clientMsgId: "m1",
    });
    const row = await server.komnata.database.db.message.findUnique({ where: { id: message.id } });
    expect(row).toMatchObject({ seq: 1, body: "<script>alert(1)</script> hi", authorId: alice.id });

    await waitFor(() => atBob.length === 1 && atAlice.length === 1, 5000, "broadcast");
    expect(atBob[0]).toEqual(message);
    await settle(a, b, c);
    expect(atCarol).toEqual([]);

    const forbidden = await request(c, "room:history", { roomId: room.id, limit: 10 });
    expect(forbidden).toEqual({ ok: false, error: { code: "forbidden", message: expect.any(String) } });
    const notMember = await request(c, "message:send", { roomId: room.id, body: "let me in", clientMsgId: "x1" });
    expect(!notMember.ok && notMember.error.code).toBe("forbidden");
    expect(await server.komnata.database.db.message.count({ where: { roomId: room.id } })).toBe(1);
  });

  it("retrying a send with the same clientMsgId returns the stored message and stores nothing new", async () => {
    const alice = await createUser(server);
    const a = await connectAs(server, alice);
    const { room } = await ok(a, "room:create", { name: uniqueName("retry") });
    const seen = collect(a, "message:new");
    const [first, second] = await Promise.all([
      ok(a, "message:send", { roomId: room.id, body: "once", clientMsgId: "same" }),
      ok(a, "message:send", { roomId: room.id, body: "once", clientMsgId: "same" }),
    ]);
    const third = await ok(a, "message:send", { roomId: room.id, body: "once", clientMsgId: "same" });
    expect(second.message).toEqual(first.message);
    expect(third.message).toEqual(first.message);
    expect(await server.komnata.database.db.message.count({ where: { roomId: room.id } })).toBe(1);
    await settle(a);
    expect(seen.length).toBe(1);
  });

  it("keys a clientMsgId per sender: two people who pick the same one each get their own message", async () => {
    const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
    const [a, b] = await Promise.all([connectAs(server, alice), connectAs(server, bob)]);
    const { room } = await ok(a, "room:create", { name: uniqueName("same-id") });
    await ok(b, "room:join", { roomId: room.id });
    const clientMsgId = newClientMsgId();
    const [fromAlice, fromBob] = await Promise.all([
      ok(a, "message:send", { roomId: room.id, body: "mine", clientMsgId }),
      ok(b, "message:send", { roomId: room.id, body: "mine too", clientMsgId }),
    ]);
    expect(fromAlice.message.id).not.toBe(fromBob.message.id);
    expect([fromAlice.message.body, fromBob.message.body]).toEqual(["mine", "mine too"]);
    // and each one's retry still finds its own
    const again = await ok(b, "message:send", { roomId: room.id, body: "mine too", clientMsgId });
    expect(again.message).toEqual(fromBob.message);
    expect(await server.komnata.database.db.message.count({ where: { roomId: room.id } })).toBe(2);
  });

  it("numbers messages per room without gaps under concurrent senders, and pages history without gaps or duplicates", async () => {
    const users = await Promise.all([createUser(server), createUser(server), createUser(server)]);
    const sockets = await Promise.all(users.map((u) => connectAs(server, u)));
    const { room } = await ok(sockets[0], "room:create", { name: uniqueName("busy") });
    await Promise.all(sockets.slice(1).map((s) => ok(s, "room:join", { roomId: room.id })));
    const perUser = 40;
    await Promise.all(
      sockets.flatMap((s, u) =>
        Array.from({ length: perUser }, (_, i) =>
          ok(s, "message:send", { roomId: room.id, body: `u${u} #${i}`, clientMsgId: `u${u}-${i}` }),
        ),
      ),
    );
    const total = perUser * sockets.length;

    const join = await ok(sockets[0], "room:join", { roomId: room.id });
    expect(join.messages).toHaveLength(50);
    expect(join.hasMore).toBe(true);
    expect(join.messages.at(-1)?.seq).toBe(total);

    const all = [...join.messages];
    let hasMore = join.hasMore;
    while (hasMore) {
      const page = await ok(sockets[1], "room:history", { roomId: room.id, beforeSeq: all[0].seq, limit: 33 });
      all.unshift(...page.messages);
      hasMore = page.hasMore;
    }
    expect(all.map((m) => m.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    // each sender's messages are stored in the order they were sent
    for (let u = 0; u < sockets.length; u++) {
      const mine = all.filter((m) => m.author.id === users[u].id).map((m) => m.body);
      expect(mine).toEqual(Array.from({ length: perUser }, (_, i) => `u${u} #${i}`));
    }

    const missed = await ok(sockets[2], "room:history", { roomId: room.id, afterSeq: total - 5, limit: 100 });
    expect(missed.messages.map((m) => m.seq)).toEqual([total - 4, total - 3, total - 2, total - 1, total]);
    expect(missed.hasMore).toBe(false);
  });

  it("lists rooms newest activity first with member and online counts", async () => {
    const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
    const [a, b] = await Promise.all([connectAs(server, alice), connectAs(server, bob)]);
    const older = (await ok(a, "room:create", { name: uniqueName("older") })).room;
    const newer = (await ok(a, "room:create", { name: uniqueName("newer") })).room;
    // the members hear the room's online count change (as bob joins, as he goes); others do not
    const counts = collect(a, "room:online");
    const outsider = await connectAs(server, await createUser(server));
    const notMine = collect(outsider, "room:online");
    await ok(b, "room:join", { roomId: older.id });
    await ok(b, "message:send", { roomId: older.id, body: "bump", clientMsgId: "bump" });
    // (the creations' own counts of one may come before or after listening began)
    const olderCounts = () => counts.filter((c) => c.roomId === older.id).map((c) => c.onlineCount);
    await waitFor(() => olderCounts().includes(2), 5000, "room:online as bob joins");

    const { rooms } = await ok(b, "room:list", {});
    const ids = rooms.map((r) => r.id);
    expect(ids.indexOf(older.id)).toBeLessThan(ids.indexOf(newer.id));
    const listed = rooms.find((r) => r.id === older.id);
    expect(listed).toMatchObject({ memberCount: 2, onlineCount: 2, lastMessageAt: expect.any(String) });

    const presence = collect(a, "presence:changed");
    b.disconnect();
    await waitFor(() => presence.some((p) => p.userId === bob.id && !p.online), 5000, "bob offline");
    const after = await ok(a, "room:list", {});
    expect(after.rooms.find((r) => r.id === older.id)?.onlineCount).toBe(1);
    await waitFor(() => olderCounts().at(-1) === 1, 5000, "room:online as bob goes");
    expect(olderCounts().slice(olderCounts().indexOf(2))).toEqual([2, 1]);
    await settle(outsider);
    expect(notMine).toEqual([]);
  });

  it("tells a lobby that watches the counts of the rooms it lists and is not in, until it stops", async () => {
    const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
    const [a, b] = await Promise.all([connectAs(server, alice), connectAs(server, bob)]);
    const watched = (await ok(a, "room:create", { name: uniqueName("watched") })).room;
    const secret = (await ok(a, "room:create", { name: uniqueName("secret"), visibility: "private" })).room;
    const other = (await ok(a, "room:create", { name: uniqueName("other") })).room;
    await new Promise((r) => setTimeout(r, 1100)); // the creations' own counts are told
    const [lobby, plain] = await Promise.all([
      connectAs(server, await createUser(server)),
      connectAs(server, await createUser(server)),
    ]);
    const members = collect(lobby, "room:member-count");
    const online = collect(lobby, "room:online");
    const notWatching = [collect(plain, "room:member-count"), collect(plain, "room:online")];
    // a first page watches its rooms, a further one adds its own
    const first = await ok(lobby, "room:list", { limit: 1, watch: true });
    expect(first.rooms.map((r) => r.id)).toEqual([other.id]);
    const next = await ok(lobby, "room:list", { before: other.id, limit: 1, watch: true });
    expect(next.rooms.map((r) => r.id)).toEqual([watched.id]);
    expect(next.rooms[0]).toMatchObject({ memberCount: 1, onlineCount: 1 });
    await ok(plain, "room:list", {});

    await ok(b, "room:join", { roomId: watched.id });
    await ok(b, "room:join", { roomId: other.id });
    await settle(lobby);
    expect(members).toEqual([
      { roomId: watched.id, memberCount: 2 },
      { roomId: other.id, memberCount: 2 },
    ]);
    await waitFor(() => online.some((c) => c.roomId === watched.id && c.onlineCount === 2), 5000, "online count");
    await waitFor(() => online.some((c) => c.roomId === other.id && c.onlineCount === 2), 5000, "online count, page 2");
    b.disconnect();
    await waitFor(() => online.filter((c) => c.roomId === watched.id).at(-1)?.onlineCount === 1, 5000, "bob goes");
    expect(online.every((c) => c.roomId !== secret.id)).toBe(true);

    // a first page again replaces what was watched; room:unwatch ends it all
    await ok(lobby, "room:list", { query: watched.name, watch: true });
    const b2 = await connectAs(server, bob);
    await ok(b2, "room:leave", { roomId: other.id });
    await ok(b2, "room:leave", { roomId: watched.id });
    await settle(lobby);
    expect(members.slice(2)).toEqual([{ roomId: watched.id, memberCount: 1 }]);
    await ok(lobby, "room:unwatch", {});
    await ok(b2, "room:join", { roomId: watched.id });
    // a room turned private is not watched any more by who is not in it
    await ok(lobby, "room:list", { watch: true });
    await ok(a, "room:update", { roomId: other.id, visibility: "private" });
    await settle(lobby);
    const since = online.length;
    a.disconnect(); // alice goes: both rooms' online counts change
    const told = (roomId: string) => online.slice(since).filter((c) => c.roomId === roomId);
    await waitFor(() => told(watched.id).at(-1)?.onlineCount === 1, 5000, "the public room's count");
    await new Promise((r) => setTimeout(r, 1100));
    await settle(lobby, plain);
    expect(told(other.id)).toEqual([]);
    expect(members.slice(3)).toEqual([]);
    expect(notWatching).toEqual([[], []]);
  });

  it("tells a room's online count at most once a second however many come and go, the last count right", async () => {
    const a = await connectAs(server, await createUser(server));
    const { room } = await ok(a, "room:create", { name: uniqueName("busy") });
    await new Promise((r) => setTimeout(r, 1100));
    const counts = collect(a, "room:online");
    const started = performance.now();
    const others = await Promise.all(Array.from({ length: 6 }, async () => connectAs(server, await createUser(server))));
    await Promise.all(others.map((s) => ok(s, "room:join", { roomId: room.id })));
    others[0].disconnect();
    const seconds = (performance.now() - started) / 1000;
    await waitFor(() => counts.at(-1)?.onlineCount === 6, 5000, "the last count");
    // seven changes: the first told at once, the others with the count of a second later
    expect(counts.length).toBeLessThanOrEqual(2 + Math.floor(seconds));
    expect(counts.every((c) => c.roomId === room.id)).toBe(true);
  });

  it("refuses a duplicate room name case-insensitively", async () => {
    const a = await connectAs(server, await createUser(server));
    const name = uniqueName("Dup");
    await ok(a, "room:create", { name });
    const again = await request(a, "room:create", { name: name.toLowerCase() });
    expect(!again.ok && again.error.code).toBe("conflict");
  });

  it("lists rooms a page at a time, newest activity first, and finds them by name, look-alikes included", async () => {
    const a = await connectAs(server, await createUser(server));
    const tag = `pg${Date.now().toString(36)}`;
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await ok(a, "room:create", { name: `${tag}-${i}` })).room.id);
    await ok(a, "message:send", { roomId: made[1], body: "the busiest", clientMsgId: "busy" });
    const first = await ok(a, "room:list", { query: tag, limit: 2 });
    expect([first.rooms.map((r) => r.name), first.hasMore]).toEqual([[`${tag}-1`, `${tag}-4`], true]);
    const second = await ok(a, "room:list", { query: tag, limit: 2, before: first.rooms[1].id });
    const third = await ok(a, "room:list", { query: tag, limit: 2, before: second.rooms[1].id });
    expect([...first.rooms, ...second.rooms, ...third.rooms].map((r) => r.id).sort()).toEqual([...made].sort());
    expect(third.hasMore).toBe(false);
    // searched as names are compared: case and look-alike characters folded, wildcards literal
    expect((await ok(a, "room:list", { query: `${tag.toUpperCase()}-3` })).rooms.map((r) => r.id)).toEqual([made[3]]);
    expect((await ok(a, "room:list", { query: `${tag.replace("p", "\u0440")}-2` })).rooms.map((r) => r.id)).toEqual([made[2]]);
    expect((await ok(a, "room:list", { query: `${tag}_%` })).rooms).toEqual([]);
    // one room by id
    expect((await ok(a, "room:get", { roomId: made[0] })).room).toMatchObject({ id: made[0], name: `${tag}-0` });
    const missing = await request(a, "room:get", { roomId: "no-such-room" });
    expect(!missing.ok && missing.error.code).toBe("not_found");
  });

  it("leaving ends membership: no more messages, no history", async () => {
    const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
    const [a, b] = await Promise.all([connectAs(server, alice), connectAs(server, bob)]);
    const { room } = await ok(a, "room:create", { name: uniqueName("leave") });
    const joined = collect(a, "room:member-joined");
    await ok(b, "room:join", { roomId: room.id });
    await waitFor(() => joined.length === 1, 5000, "member-joined");
    // each carries how many members the room has now
    expect(joined[0]).toMatchObject({ roomId: room.id, member: { id: bob.id }, memberCount: 2 });
    const left = collect(a, "room:member-left");
    await ok(b, "room:leave", { roomId: room.id });
    await waitFor(() => left.length === 1, 5000, "member-left");
    expect(left[0]).toEqual({ roomId: room.id, userId: bob.id, memberCount: 1 });

    const atBob = collect(b, "message:new");
    await ok(a, "message:send", { roomId: room.id, body: "after you left", clientMsgId: "after" });
    await settle(a, b);
    expect(atBob).toEqual([]);
    const history = await request(b, "room:history", { roomId: room.id, limit: 10 });
    expect(!history.ok && history.error.code).toBe("forbidden");
    expect(await server.komnata.database.db.membership.count({ where: { roomId: room.id } })).toBe(1);
  });

  it("keeps a user online until their last tab closes", async () => {
    const [alice, bob] = await Promise.all([createUser(server), createUser(server)]);
    const a = await connectAs(server, alice);
    const { room } = await ok(a, "room:create", { name: uniqueName("presence") });
    const counts = collect(a, "room:online");
    const b1 = await connectAs(server, bob);
    await ok(b1, "room:join", { roomId: room.id });
    const b2 = await connectAs(server, bob);
    const changes = collect(a, "presence:changed");
    // bob's join is told (at most once a second), then a quiet second: a count the first tab's
    // close told would go out at once, before the round trip below
    await waitFor(() => counts.at(-1)?.onlineCount === 2, 5000, "room:online as bob joins");
    await new Promise((r) => setTimeout(r, 1100));
    counts.length = 0;

    b1.disconnect();
    // the server has handled the close (its disconnect handlers run as the socket is removed),
    // then a round trip brings anything that emitted to `a`
    const bobSockets = () => [...server.komnata.io.of("/").sockets.values()].filter((s) => s.data.user.id === bob.id);
    await waitFor(() => bobSockets().length === 1, 5000, "the server to see the first tab close");
    await settle(a);
    expect(changes.filter((c) => c.userId === bob.id)).toEqual([]);
    expect(counts).toEqual([]);
    const stillOnline = await ok(a, "room:join", { roomId: room.id });
    expect(stillOnline.room.members.find((m) => m.id === bob.id)?.online).toBe(true);

    b2.disconnect();
    await waitFor(() => changes.some((c) => c.userId === bob.id && !c.online), 5000, "offline event");
    const offline = await ok(a, "room:join", { roomId: room.id });
    expect(offline.room.members.find((m) => m.id === bob.id)?.online).toBe(false);
  });
});

describe("the handshake", () => {
  it("refuses a socket without credentials or with a forged token, and it joins nothing", async () => {
    for (const auth of [{}, { token: "forged" }, { token: 42 }]) {
      const s = openSocket(server, auth);
      const error = await new Promise<Error & { data?: { code: string } }>((resolve) => s.once("connect_error", resolve));
      expect(error.data?.code).toBe("unauthorized");
      expect(s.connected).toBe(false);
    }
  });

  it("accepts a session cookie only from an allowed origin", async () => {
    const user = await createUser(server);
    const cookie = `next-auth.session-token=${user.token}`;
    const foreign = openSocket(server, {}, { extraHeaders: { cookie, origin: "https://evil.example" } });
    const refused = await new Promise<Error & { data?: { code: string } }>((resolve) => foreign.once("connect_error", resolve));
    expect(refused.data?.code).toBe("forbidden");

    const own = openSocket(server, {}, { extraHeaders: { cookie, origin: server.url } });
    await new Promise<void>((resolve, reject) => {
      own.once("connect", resolve);
      own.once("connect_error", reject);
    });
    const { rooms } = await ok(own, "room:list", {});
    expect(Array.isArray(rooms)).toBe(true);
  });
});
