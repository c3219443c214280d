// Governing rooms and accounts over the wire (issue 15): removal that takes effect at once on
// every connection, bans, invitations by name and by link, private rooms that leak through no
// list, archived rooms, and deactivation that closes everything the account had open.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  closeSockets,
  collect,
  connectAs,
  createUser,
  handshake,
  ok,
  postJson,
  request,
  settle,
  startServer,
  type TestServer,
  type TestUser,
  uniqueName,
  waitFor,
} from "../helpers/server.ts";

let server: TestServer;
let root: TestUser;
beforeAll(async () => {
  server = await startServer();
  // the first account is the server's admin
  root = await createUser(server);
});
afterEach(() => closeSockets());
afterAll(async () => server.close());

async function people(n: number): Promise<TestUser[]> {
  return Promise.all(Array.from({ length: n }, () => createUser(server)));
}

describe("removal", () => {
  it("a kick takes the room away from every connection at once; they can come back to a public room", async () => {
    const [owner, bob] = await people(2);
    const o = await connectAs(server, owner);
    const [b1, b2] = [await connectAs(server, bob), await connectAs(server, bob)];
    const { room } = await ok(o, "room:create", { name: uniqueName("kick") });
    await ok(b1, "room:join", { roomId: room.id });
    const removed = [collect(b1, "room:removed"), collect(b2, "room:removed")];
    const left = collect(o, "room:member-left");
    const heard = [collect(b1, "message:new"), collect(b2, "message:new")];

    await ok(o, "room:kick", { roomId: room.id, userId: bob.id });
    await waitFor(() => removed.every((r) => r.length === 1) && left.length === 1, 5000, "room:removed on both tabs");
    expect(removed[0][0]).toEqual({ roomId: room.id, reason: "kicked" });
    expect(left[0]).toEqual({ roomId: room.id, userId: bob.id, memberCount: 1 });

    await ok(o, "message:send", { roomId: room.id, body: "after the kick", clientMsgId: "k1" });
    await settle(o, b1, b2);
    expect(heard.flat()).toEqual([]);
    for (const socket of [b1, b2]) {
      expect(await request(socket, "message:send", { roomId: room.id, body: "x", clientMsgId: "x" })).toMatchObject({
        ok: false,
        error: { code: "forbidden" },
      });
      expect(await request(socket, "room:history", { roomId: room.id })).toMatchObject({
        ok: false,
        error: { code: "forbidden" },
      });
    }
    const { room: detail } = await ok(o, "room:join", { roomId: room.id });
    expect(detail.members.map((m) => m.id)).toEqual([owner.id]);
    // a kick is not a ban
    await ok(b2, "room:join", { roomId: room.id });
  });

  it("a ban keeps them out until it is lifted: no joining, no invitation; a pending invitation is withdrawn", async () => {
    const [owner, bob, carol] = await people(3);
    const o = await connectAs(server, owner);
    const b = await connectAs(server, bob);
    const c = await connectAs(server, carol);
    const { room } = await ok(o, "room:create", { name: uniqueName("ban"), visibility: "private" });
    await ok(o, "room:invite", { roomId: room.id, username: bob.username });
    await ok(b, "room:invitation:respond", { roomId: room.id, accept: true });
    await ok(o, "room:invite", { roomId: room.id, username: carol.username });
    const removed = collect(b, "room:removed");
    const withdrawn = collect(c, "room:invitation-closed");

    await ok(o, "room:ban", { roomId: room.id, userId: bob.id });
    await ok(o, "room:ban", { roomId: room.id, userId: carol.id });
    await waitFor(() => removed.length === 1 && withdrawn.length === 1, 5000, "room:removed and the invitation withdrawn");
    expect(removed[0]).toEqual({ roomId: room.id, reason: "banned" });
    expect((await ok(c, "room:invitations", {})).invitations).toEqual([]);
    expect(await request(b, "room:join", { roomId: room.id })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await request(o, "room:invite", { roomId: room.id, username: bob.username })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    const { links } = { links: [(await ok(o, "room:invite-link:create", { roomId: room.id })).link] };
    expect(await request(b, "room:join", { inviteToken: links[0].token })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    // the refused attempt used nothing up
    expect((await ok(o, "room:invite-links", { roomId: room.id })).links[0].uses).toBe(0);
    expect((await ok(o, "room:bans", { roomId: room.id })).bans.map((x) => x.user.id).sort()).toEqual([bob.id, carol.id].sort());

    await ok(o, "room:unban", { roomId: room.id, userId: bob.id });
    const invited = collect(b, "room:invited");
    await ok(o, "room:invite", { roomId: room.id, username: bob.username });
    await waitFor(() => invited.length === 1, 5000, "room:invited");
    expect(invited[0]).toMatchObject({
      room: { id: room.id, name: room.name, visibility: "private" },
      invitedBy: { id: owner.id },
    });
    const { room: joined } = await ok(b, "room:invitation:respond", { roomId: room.id, accept: true });
    expect(joined).toMatchObject({ id: room.id, role: "member" });
  });

  it("roles change live; handing the room over leaves the old owner an admin; an owner who leaves hands it on", async () => {
    const [owner, bob, carol] = await people(3);
    const o = await connectAs(server, owner);
    const b = await connectAs(server, bob);
    const c = await connectAs(server, carol);
    const { room } = await ok(o, "room:create", { name: uniqueName("roles") });
    await ok(b, "room:join", { roomId: room.id });
    await ok(c, "room:join", { roomId: room.id });
    const updates = collect(c, "room:member-updated");
    await ok(o, "room:set-role", { roomId: room.id, userId: bob.id, role: "admin" });
    await ok(o, "room:set-role", { roomId: room.id, userId: carol.id, role: "owner" });
    await waitFor(() => updates.length === 3, 5000, "room:member-updated");
    expect(updates.map((u) => `${u.member.username}:${u.member.role}`)).toEqual([
      `${bob.username}:admin`,
      `${carol.username}:owner`,
      `${owner.username}:admin`,
    ]);
    expect((await ok(o, "room:get", { roomId: room.id })).room.role).toBe("admin");
    // the new owner leaves: the admin who joined first (the old owner) has it again
    await ok(c, "room:leave", { roomId: room.id });
    await waitFor(() => updates.length === 3, 5000);
    expect((await ok(o, "room:get", { roomId: room.id })).room.role).toBe("owner");
  });
});

describe("pins", () => {
  it("owners and admins pin; every member sees it live and in room:pins; deleting a message unpins it", async () => {
    const [owner, bob] = await people(2);
    const o = await connectAs(server, owner);
    const b = await connectAs(server, bob);
    const { room } = await ok(o, "room:create", { name: uniqueName("pins") });
    await ok(b, "room:join", { roomId: room.id });
    const first = (await ok(b, "message:send", { roomId: room.id, body: "the plan", clientMsgId: "p1" })).message;
    const second = (await ok(b, "message:send", { roomId: room.id, body: "the date", clientMsgId: "p2" })).message;
    const updated = collect(b, "message:updated");

    const { message } = await ok(o, "message:pin", { roomId: room.id, messageId: first.id, pinned: true });
    expect(message.pinned).toEqual({ at: expect.any(String), by: owner.id });
    await waitFor(() => updated.some((m) => m.id === first.id && m.pinned), 5000, "message:updated with the pin");
    await ok(o, "message:pin", { roomId: room.id, messageId: second.id, pinned: true });
    expect((await ok(b, "room:pins", { roomId: room.id })).messages.map((m) => m.body)).toEqual(["the date", "the plan"]);
    // after a reload too: the history carries it
    const { messages } = await ok(b, "room:history", { roomId: room.id });
    expect(messages.find((m) => m.id === first.id)?.pinned?.by).toBe(owner.id);

    await ok(o, "message:pin", { roomId: room.id, messageId: second.id, pinned: false });
    await ok(b, "message:delete", { roomId: room.id, messageId: first.id });
    expect((await ok(b, "room:pins", { roomId: room.id })).messages).toEqual([]);
  });
});

describe("invite links", () => {
  it("let in who opens them while they last: a limit of uses, an expiry, a revocation; a member's visit costs no use", async () => {
    const [owner, a, b, c, d] = await people(5);
    const o = await connectAs(server, owner);
    const { room } = await ok(o, "room:create", { name: uniqueName("links"), visibility: "private" });
    const { link } = await ok(o, "room:invite-link:create", { roomId: room.id, maxUses: 2, expiresInHours: 24 });
    expect(link.url).toMatch(new RegExp(`/invite/${link.token}$`));
    expect(link).toMatchObject({ maxUses: 2, uses: 0, createdBy: { id: owner.id } });

    const [sa, sb, sc, sd] = await Promise.all([a, b, c, d].map((u) => connectAs(server, u)));
    // without the link, a private room is not there to join
    expect(await request(sa, "room:join", { roomId: room.id })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const joined = await ok(sa, "room:join", { inviteToken: link.token });
    expect(joined.room).toMatchObject({ id: room.id, role: "member" });
    await ok(sa, "room:join", { inviteToken: link.token });
    await ok(sb, "room:join", { inviteToken: link.token });
    expect(await request(sc, "room:join", { inviteToken: link.token })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    // used up: no longer listed
    expect((await ok(o, "room:invite-links", { roomId: room.id })).links).toEqual([]);

    const { link: expiring } = await ok(o, "room:invite-link:create", { roomId: room.id, expiresInHours: 1 });
    await server.komnata.database.db.roomInviteLink.update({
      where: { token: expiring.token },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await request(sc, "room:join", { inviteToken: expiring.token })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });

    const { link: revoked } = await ok(o, "room:invite-link:create", { roomId: room.id });
    await ok(o, "room:invite-link:revoke", { roomId: room.id, token: revoked.token });
    expect(await request(sd, "room:join", { inviteToken: revoked.token })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    expect(await request(sd, "room:join", { inviteToken: "x".repeat(24) })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    expect((await ok(o, "room:get", { roomId: room.id })).room.memberCount).toBe(3);
  });
});

describe("a private room", () => {
  it("leaks through no list, search, file listing, announcement or count", async () => {
    const [owner, outsider] = await people(2);
    const created = collect(await connectAs(server, outsider), "room:created");
    const o = await connectAs(server, owner);
    const x = await connectAs(server, outsider);
    const name = uniqueName("secret");
    const { room } = await ok(o, "room:create", { name, visibility: "private", topic: "the plan" });
    await ok(o, "message:send", { roomId: room.id, body: "zanzibarword in private", clientMsgId: "s1" });
    const up = await fetch(
      `${server.url}/api/files?${new URLSearchParams({ roomId: room.id, name: "plan.txt", clientMsgId: "f" })}`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${owner.token}` },
        body: "secret bytes",
      },
    );
    expect(up.status).toBe(201);
    const fileId = ((await up.json()) as { message: { file: { id: string } } }).message.file.id;
    await settle(o, x);

    expect(created.map((r) => r.id)).not.toContain(room.id);
    expect((await ok(x, "room:list", { query: name })).rooms).toEqual([]);
    expect((await ok(x, "room:list", {})).rooms.map((r) => r.id)).not.toContain(room.id);
    expect((await ok(o, "room:list", { query: name })).rooms.map((r) => r.id)).toEqual([room.id]);
    expect((await ok(x, "search", { query: "zanzibarword" })).results).toEqual([]);
    expect(await request(x, "search", { query: "zanzibarword", roomId: room.id })).toMatchObject({ ok: true, results: [] });
    expect((await ok(x, "file:list", {})).files.map((f) => f.id)).not.toContain(fileId);
    expect(await request(x, "file:list", { roomId: room.id })).toEqual(await request(x, "file:list", { roomId: "no-such-room" }));
    const download = await fetch(`${server.url}/api/files/${fileId}`, { headers: { authorization: `Bearer ${outsider.token}` } });
    expect(download.status).toBe(404);
    expect((await ok(x, "user:unread", {})).rooms.map((r) => r.roomId)).not.toContain(room.id);
    expect(await request(x, "room:get", { roomId: room.id })).toEqual(await request(x, "room:get", { roomId: "no-such-room" }));
    expect(await request(x, "room:join", { roomId: room.id })).toEqual(await request(x, "room:join", { roomId: "no-such-room" }));

    // made public, it is listed for everyone (and they hear of it); private again, it is gone
    const updated = collect(x, "room:updated");
    await ok(o, "room:update", { roomId: room.id, visibility: "public" });
    await waitFor(() => updated.length === 1, 5000, "room:updated");
    expect(updated[0]).toMatchObject({ id: room.id, visibility: "public" });
    expect((await ok(x, "room:list", { query: name })).rooms.map((r) => r.id)).toEqual([room.id]);
    await ok(o, "room:update", { roomId: room.id, visibility: "private" });
    expect((await ok(x, "room:list", { query: name })).rooms).toEqual([]);
  });
});

describe("an archived room", () => {
  it("is read-only until it is unarchived, for everyone in it", async () => {
    const [owner, bob] = await people(2);
    const o = await connectAs(server, owner);
    const b = await connectAs(server, bob);
    const { room } = await ok(o, "room:create", { name: uniqueName("archive") });
    await ok(b, "room:join", { roomId: room.id });
    const { message } = await ok(b, "message:send", { roomId: room.id, body: "before", clientMsgId: "a1" });
    const updated = collect(b, "room:updated");
    await ok(o, "room:update", { roomId: room.id, archived: true });
    await waitFor(() => updated.length === 1, 5000, "room:updated");
    expect(updated[0]).toMatchObject({ id: room.id, archived: true });

    const refused = { ok: false, error: { code: "forbidden", message: expect.stringMatching(/archived/) } };
    expect(await request(b, "message:send", { roomId: room.id, body: "x", clientMsgId: "a2" })).toMatchObject(refused);
    expect(await request(b, "message:edit", { roomId: room.id, messageId: message.id, body: "y" })).toMatchObject(refused);
    expect(await request(b, "reaction:add", { roomId: room.id, messageId: message.id, emoji: "👍" })).toMatchObject(refused);
    expect(await request(o, "room:update", { roomId: room.id, name: uniqueName("nope") })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    const upload = await fetch(
      `${server.url}/api/files?${new URLSearchParams({ roomId: room.id, name: "a.txt", clientMsgId: "f" })}`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${bob.token}` },
        body: "bytes",
      },
    );
    expect(upload.status).toBe(403);
    // still readable
    expect((await ok(b, "room:history", { roomId: room.id })).messages.map((m) => m.body)).toEqual(["before"]);
    await ok(o, "room:update", { roomId: room.id, archived: false });
    await ok(b, "message:send", { roomId: room.id, body: "after", clientMsgId: "a3" });
  });
});

describe("server admins", () => {
  it("deactivating an account closes its connections within a second and refuses every token it had", async () => {
    const [bob] = await people(1);
    const admin = await connectAs(server, root);
    const b = await connectAs(server, bob);
    const { message } = await ok(b, "dm:send", { toUsername: root.username, body: "a file follows", clientMsgId: "d1" });
    const up = await fetch(
      `${server.url}/api/files?${new URLSearchParams({ to: root.username, name: "b.txt", clientMsgId: "d2" })}`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${bob.token}` },
        body: "bytes",
      },
    );
    const fileId = ((await up.json()) as { message: { file: { id: string } } }).message.file.id;
    expect(message.conversationId).toBeTruthy();
    const closed = new Promise<number>((resolve) => {
      const start = Date.now();
      b.once("disconnect", () => resolve(Date.now() - start));
    });
    // not for anyone else
    const asBob = await fetch(`${server.url}/api/admin/users/${bob.id}/deactivate`, {
      method: "POST",
      headers: { authorization: `Bearer ${bob.token}` },
    });
    expect(asBob.status).toBe(403);

    const res = await fetch(`${server.url}/api/admin/users/${bob.id}/deactivate`, {
      method: "POST",
      headers: { authorization: `Bearer ${root.token}` },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { deactivatedAt: string | null } }).user.deactivatedAt).not.toBeNull();
    expect(await closed).toBeLessThan(1000);
    expect(await handshake(server, bob.token)).toBe("unauthorized");
    const download = await fetch(`${server.url}/api/files/${fileId}`, { headers: { authorization: `Bearer ${bob.token}` } });
    expect(download.status).toBe(401);
    const signIn = await postJson(`${server.url}/api/token`, { username: bob.username, password: bob.password });
    expect(signIn.status).toBe(403);
    // to others: marked, not found by a search, not written to
    expect((await ok(admin, "user:profiles", { ids: [bob.id] })).profiles[0]).toMatchObject({ deactivated: true });
    expect((await ok(admin, "user:search", { query: bob.username })).users).toEqual([]);
    expect(await request(admin, "dm:send", { toUsername: bob.username, body: "hello?", clientMsgId: "d3" })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });

    // reactivated, they sign in afresh; the old token stays signed out
    await fetch(`${server.url}/api/admin/users/${bob.id}/reactivate`, {
      method: "POST",
      headers: { authorization: `Bearer ${root.token}` },
    });
    const again = await postJson(`${server.url}/api/token`, { username: bob.username, password: bob.password });
    expect(again.status).toBe(200);
    expect(await handshake(server, again.body.token)).toBe("connected");
    expect(await handshake(server, bob.token)).toBe("unauthorized");
    await settle(admin);
  });

  it("see every room by name, may make others admin, and cannot remove the last admin", async () => {
    const [bob] = await people(1);
    const o = await connectAs(server, bob);
    const name = uniqueName("hidden");
    await ok(o, "room:create", { name, visibility: "private" });
    const get = (path: string, token: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await get("/api/admin/rooms", bob.token)).status).toBe(403);
    const rooms = (await (await get(`/api/admin/rooms?query=${name}`, root.token)).json()) as { rooms: { name: string }[] };
    expect(rooms.rooms).toEqual([expect.objectContaining({ name, visibility: "private", memberCount: 1 })]);
    const users = (await (await get(`/api/admin/users?query=${bob.username}`, root.token)).json()) as { users: unknown[] };
    expect(users.users).toEqual([expect.objectContaining({ id: bob.id, isAdmin: false, deactivatedAt: null })]);

    const put = (userId: string, isAdmin: boolean) =>
      fetch(`${server.url}/api/admin/users/${userId}/admin`, {
        method: "PUT",
        headers: { authorization: `Bearer ${root.token}`, "content-type": "application/json" },
        body: JSON.stringify({ isAdmin }),
      });
    expect((await put(root.id, false)).status).toBe(409);
    expect((await put(bob.id, true)).status).toBe(200);
    expect((await get("/api/admin/rooms", bob.token)).status).toBe(200);
    expect((await put(bob.id, false)).status).toBe(200);
  });
});
