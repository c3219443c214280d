// Accounts a server admin governs (issue 15): who may register (open, by invitation, nobody), the
// room newcomers join, the upload limit, and passwords: changed by their owner or set through a
// one-time link, either way signing every other session out at once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  closeSockets,
  connectAs,
  createUser,
  handshake,
  ok,
  postJson,
  startServer,
  type TestServer,
  type TestUser,
  uniqueName,
} from "../helpers/server.ts";

let server: TestServer;
let root: TestUser;
beforeAll(async () => {
  server = await startServer();
  // the first account is the server's admin
  root = await createUser(server);
});
afterEach(async () => {
  closeSockets();
  await admin("settings", "PUT", { registration: "open", uploadLimitMb: null, defaultRoomId: null });
});
afterAll(async () => server.close());

async function admin(path: string, method = "GET", body?: unknown, token = root.token) {
  const res = await fetch(`${server.url}/api/admin/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as Record<string, unknown>) };
}

const register = (username: string, invite?: string) =>
  postJson(`${server.url}/api/register`, { username, password: "correct horse battery", invite });

describe("registration", () => {
  it("invite-only takes a server invite (counting its uses) or a room's invite link; closed takes nobody", async () => {
    const bob = await createUser(server);
    expect((await admin("settings", "PUT", { registration: "invite-only" }, bob.token)).status).toBe(403);
    expect((await admin("settings", "PUT", { registration: "invite-only" })).body).toMatchObject({
      settings: { registration: "invite-only" },
    });
    expect((await register(uniqueName())).status).toBe(403);
    expect((await register(uniqueName(), "made-up-invitation-token")).status).toBe(403);

    const { body } = await admin("invites", "POST", { maxUses: 1 });
    const invite = body?.invite as { token: string; url: string };
    expect(invite.url).toContain(`/login?invite=${invite.token}`);
    // a name already taken does not use the invitation up
    expect((await register(bob.username, invite.token)).status).toBe(409);
    expect((await register(uniqueName(), invite.token)).status).toBe(201);
    expect((await register(uniqueName(), invite.token)).status).toBe(403);
    expect((await admin("invites")).body?.invites).toEqual([]);

    // a room's invite link lets its holder sign up, and then join
    const owner = await connectAs(server, bob);
    const { room } = await ok(owner, "room:create", { name: uniqueName("club"), visibility: "private" });
    const { link } = await ok(owner, "room:invite-link:create", { roomId: room.id });
    const carolName = uniqueName();
    expect((await register(carolName, link.token)).status).toBe(201);
    const token = await postJson(`${server.url}/api/token`, { username: carolName, password: "correct horse battery" });
    const carol = await connectAs(server, { id: "", username: carolName, password: "", token: token.body.token });
    expect((await ok(carol, "room:join", { inviteToken: link.token })).room.id).toBe(room.id);

    await admin("settings", "PUT", { registration: "closed" });
    const another = (await admin("invites", "POST", {})).body?.invite as { token: string };
    expect((await register(uniqueName(), another.token)).status).toBe(403);
  });

  it("puts every new account in the default room", async () => {
    const owner = await connectAs(server, await createUser(server));
    const { room } = await ok(owner, "room:create", { name: uniqueName("welcome") });
    expect((await admin("settings", "PUT", { defaultRoomId: "no-such-room" })).status).toBe(404);
    await admin("settings", "PUT", { defaultRoomId: room.id });
    const newcomer = await connectAs(server, await createUser(server));
    expect((await ok(newcomer, "room:mine", {})).rooms.map((r) => r.id)).toEqual([room.id]);
  });

  it("an upload limit below MAX_UPLOAD_MB refuses larger files", async () => {
    const bob = await createUser(server);
    await admin("settings", "PUT", { uploadLimitMb: 1 });
    const upload = (bytes: number) =>
      fetch(
        `${server.url}/api/files?${new URLSearchParams({ to: root.username, name: "big.bin", clientMsgId: uniqueName("f") })}`,
        {
          method: "POST",
          headers: { authorization: `Bearer ${bob.token}` },
          body: Buffer.alloc(bytes),
        },
      );
    expect((await upload(2 * 1024 * 1024)).status).toBe(413);
    expect((await upload(512 * 1024)).status).toBe(201);
  });
});

describe("passwords", () => {
  it("a change needs the current one, and signs every session out: its sockets close, its tokens are refused", async () => {
    const bob = await createUser(server);
    const socket = await connectAs(server, bob);
    const closed = new Promise<void>((resolve) => socket.once("disconnect", () => resolve()));
    const change = (oldPassword: string, newPassword: string) =>
      fetch(`${server.url}/api/password`, {
        method: "POST",
        headers: { authorization: `Bearer ${bob.token}`, "content-type": "application/json" },
        body: JSON.stringify({ oldPassword, newPassword }),
      });
    expect((await change("not my password", "a brand new password")).status).toBe(403);
    expect((await change(bob.password, "short")).status).toBe(400);
    const res = await change(bob.password, "a brand new password");
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    await closed;
    expect(await handshake(server, bob.token)).toBe("unauthorized");
    expect(await handshake(server, token)).toBe("connected");
    expect((await postJson(`${server.url}/api/token`, { username: bob.username, password: bob.password })).status).toBe(401);
    expect((await postJson(`${server.url}/api/token`, { username: bob.username, password: "a brand new password" })).status).toBe(
      200,
    );
  });

  it("a reset link sets a new one once, and signs every session out", async () => {
    const bob = await createUser(server);
    expect((await admin(`users/${bob.id}/reset-password`, "POST", undefined, bob.token)).status).toBe(403);
    const issued = (await admin(`users/${bob.id}/reset-password`, "POST")).body as { url: string };
    const token = issued.url.split("/reset/")[1];
    const reset = (password: string, with_ = token) => postJson(`${server.url}/api/password-reset`, { token: with_, password });
    expect((await reset("another new password", "x".repeat(24))).status).toBe(403);
    expect((await reset("another new password")).status).toBe(200);
    expect((await reset("and once more please")).status).toBe(403);
    expect(await handshake(server, bob.token)).toBe("unauthorized");
    expect((await postJson(`${server.url}/api/token`, { username: bob.username, password: "another new password" })).status).toBe(
      200,
    );
  });
});
