// Profiles (issue 15): a display name, a status and an avatar, set by their owner, seen by
// everyone live and in member lists; the avatar is a picture the server re-encoded itself.
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import {
  closeSockets,
  collect,
  connectAs,
  createUser,
  ok,
  request,
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

it("a display name and status reach everyone live, in member lists and in user:profiles", async () => {
  const [ann, bob] = await Promise.all([createUser(server), createUser(server)]);
  const a = await connectAs(server, ann);
  const b = await connectAs(server, bob);
  const { room } = await ok(a, "room:create", { name: uniqueName("profiles") });
  await ok(b, "room:join", { roomId: room.id });
  const heard = collect(b, "user:updated");

  const { profile } = await ok(a, "user:profile", { displayName: "  Anna Petrova ", status: "On holiday" });
  expect(profile).toEqual({
    id: ann.id,
    username: ann.username,
    displayName: "Anna Petrova",
    status: "On holiday",
    avatarUrl: null,
  });
  await waitFor(() => heard.length === 1, 5000, "user:updated");
  expect(heard[0]).toEqual(profile);
  const { room: detail } = await ok(b, "room:join", { roomId: room.id });
  expect(detail.members.find((m) => m.id === ann.id)).toMatchObject({ displayName: "Anna Petrova", status: "On holiday" });
  expect((await ok(b, "user:profiles", { ids: [ann.id, bob.id, "nobody"] })).profiles.map((p) => p.id).sort()).toEqual(
    [ann.id, bob.id].sort(),
  );
  expect((await ok(b, "user:get", { username: ann.username })).user).toMatchObject({ displayName: "Anna Petrova" });

  // "" takes them away; too long is refused
  expect((await ok(a, "user:profile", { displayName: "", status: "" })).profile).toMatchObject({
    displayName: null,
    status: null,
  });
  expect(await request(a, "user:profile", { displayName: "x".repeat(65) })).toMatchObject({
    ok: false,
    error: { code: "invalid_input" },
  });
});

it("an avatar is re-encoded to a 256 px WebP, served to people signed in, and can be taken away", async () => {
  const [ann, bob] = await Promise.all([createUser(server), createUser(server)]);
  const b = await connectAs(server, bob);
  const heard = collect(b, "user:updated");
  const put = (body: Blob | string) =>
    fetch(`${server.url}/api/avatar`, { method: "PUT", headers: { authorization: `Bearer ${ann.token}` }, body });
  const photo = await sharp({ create: { width: 800, height: 500, channels: 3, background: "#3366cc" } })
    .png()
    .toBuffer();

  expect((await put("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>")).status).toBe(400);
  const res = await put(new Blob([new Uint8Array(photo)]));
  expect(res.status).toBe(200);
  const { profile } = (await res.json()) as { profile: { avatarUrl: string } };
  expect(profile.avatarUrl).toMatch(new RegExp(`^/api/users/${ann.id}/avatar\\?v=\\d+$`));
  await waitFor(() => heard.length === 1, 5000, "user:updated");

  expect((await fetch(`${server.url}${profile.avatarUrl}`)).status).toBe(401);
  const got = await fetch(`${server.url}${profile.avatarUrl}`, { headers: { authorization: `Bearer ${bob.token}` } });
  expect(got.status).toBe(200);
  expect(got.headers.get("content-type")).toBe("image/webp");
  const meta = await sharp(Buffer.from(await got.arrayBuffer())).metadata();
  expect([meta.format, meta.width, meta.height]).toEqual(["webp", 256, 256]);

  // a new picture is a new URL
  const again = (await (await put(new Blob([new Uint8Array(photo)]))).json()) as { profile: { avatarUrl: string } };
  expect(again.profile.avatarUrl).not.toBe(profile.avatarUrl);

  const removed = await fetch(`${server.url}/api/avatar`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${ann.token}` },
  });
  expect(((await removed.json()) as { profile: { avatarUrl: null } }).profile.avatarUrl).toBeNull();
  expect((await fetch(`${server.url}${profile.avatarUrl}`, { headers: { authorization: `Bearer ${bob.token}` } })).status).toBe(
    404,
  );
});
