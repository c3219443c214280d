// Exports (issue 18): a room's history and a person's own data as a zip, made in the background,
// read back here entry by entry (yauzl) and compared with what was written.
import { createHash } from "node:crypto";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import type { ExportInfo } from "../../server/protocol/index.ts";
import {
  type ClientSocket,
  closeSockets,
  collect,
  connectAs,
  createUser,
  ok,
  roomWith,
  startServer,
  type TestServer,
  type TestUser,
  uniqueName,
  waitFor,
} from "../helpers/server.ts";

let server: TestServer;
let admin: TestUser;
beforeAll(async () => {
  server = await startServer();
  admin = await createUser(server);
});
afterEach(() => closeSockets());
afterAll(async () => server.close());

/** Every entry of a zip, by name. */
function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error) return reject(error);
      const entries = new Map<string, Buffer>();
      file.on("entry", (entry: yauzl.Entry) => {
        file.openReadStream(entry, (failed, stream) => {
          if (failed) return reject(failed);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            file.readEntry();
          });
        });
      });
      file.on("end", () => resolve(entries));
      file.on("error", reject);
      file.readEntry();
    });
  });
}

const call = (method: string, path: string, token: string) =>
  fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });

/** Asks for an export and waits for `export:done` on the asker's socket; the zip's entries. */
async function exportOf(
  path: string,
  user: TestUser,
  socket: ClientSocket,
): Promise<{ info: ExportInfo; entries: Map<string, Buffer> }> {
  const done = collect(socket, "export:done");
  const asked = await call("POST", path, user.token);
  expect(asked.status).toBe(202);
  const { export: pending } = (await asked.json()) as { export: ExportInfo };
  expect(pending.status).toBe("pending");
  await waitFor(() => done.some((d) => d.export.id === pending.id), 20_000, "the export to be made");
  const info = done.find((d) => d.export.id === pending.id)?.export as ExportInfo;
  expect(info.status).toBe("ready");
  const zip = await call("GET", `/api/exports/${info.id}/download`, user.token);
  expect(zip.status).toBe(200);
  expect(zip.headers.get("content-type")).toBe("application/zip");
  const bytes = Buffer.from(await zip.arrayBuffer());
  expect(bytes.length).toBe(info.size);
  return { info, entries: await unzip(bytes) };
}

async function upload(user: TestUser, query: string, name: string, body: Buffer, type: string) {
  const res = await fetch(`${server.url}/api/files?${query}&name=${encodeURIComponent(name)}&clientMsgId=${uniqueName("f")}`, {
    method: "POST",
    headers: { authorization: `Bearer ${user.token}`, "content-type": type },
    body: new Uint8Array(body),
  });
  expect(res.status).toBe(201);
  return res.json();
}

describe("exports", () => {
  it("a room's export holds every message, its edits, replies, reactions and files, and a page that reads offline", async () => {
    const owner = await createUser(server);
    const member = await createUser(server);
    const { roomId, sockets } = await roomWith(server, owner, member);
    const [o, m] = sockets;
    const first = await ok(o, "message:send", { roomId, body: "Привет, <b>team</b> & co", clientMsgId: "e1" });
    const edited = await ok(m, "message:send", { roomId, body: "first draft", clientMsgId: "e2" });
    await ok(m, "message:edit", { roomId, messageId: edited.message.id, body: "final text" });
    await ok(o, "message:send", { roomId, body: "a reply 🎉", clientMsgId: "e3", replyTo: first.message.id });
    await ok(m, "reaction:add", { roomId, messageId: first.message.id, emoji: "👍" });
    const gone = await ok(m, "message:send", { roomId, body: "oops", clientMsgId: "e4" });
    await ok(m, "message:delete", { roomId, messageId: gone.message.id });
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#123456" } })
      .png()
      .toBuffer();
    await upload(member, `roomId=${roomId}`, "chart <1>.png", png, "image/png");
    for (let i = 0; i < 230; i++) await ok(o, "message:send", { roomId, body: `line ${i}`, clientMsgId: `bulk${i}` });

    // a member who does not own the room may not export it
    const refused = await call("POST", `/api/rooms/${roomId}/export`, member.token);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
      "Only the room's owner or a server admin can export it.",
    );
    const { info, entries } = await exportOf(`/api/rooms/${roomId}/export`, owner, o);
    expect(info).toMatchObject({ kind: "room", room: { id: roomId } });

    const json = JSON.parse(entries.get("messages.json")?.toString("utf8") ?? "{}");
    expect(json).toMatchObject({ format: "komnata-export/1", room: { id: roomId } });
    expect(json.members.map((x: { username: string }) => x.username).sort()).toEqual([owner.username, member.username].sort());
    const messages = json.messages;
    expect(messages.map((x: { seq: number }) => x.seq)).toEqual(Array.from({ length: 235 }, (_, i) => i + 1));
    expect(messages[0]).toMatchObject({ body: "Привет, <b>team</b> & co", author: { username: owner.username } });
    expect(messages[0].reactions).toEqual([{ emoji: "👍", users: [member.username] }]);
    expect(messages[1]).toMatchObject({ body: "final text", edits: [{ body: "first draft" }] });
    expect(messages[2]).toMatchObject({ body: "a reply 🎉", replyTo: { id: first.message.id, seq: 1 } });
    expect(messages[3]).toMatchObject({ body: "", deletedAt: expect.any(String) });
    expect(messages[4].file).toMatchObject({ name: "chart _1_.png", size: png.length, type: "image/png" });
    expect(messages[234].body).toBe("line 229");
    // the file itself, byte for byte, where the message says
    const stored = entries.get(messages[4].file.path);
    expect(
      createHash("sha256")
        .update(stored ?? "")
        .digest("hex"),
    ).toBe(createHash("sha256").update(png).digest("hex"));

    const html = entries.get("index.html")?.toString("utf8") ?? "";
    expect(html).toContain("Привет, &lt;b&gt;team&lt;/b&gt; &amp; co");
    expect(html).not.toContain("<b>team");
    expect(html).toContain(`href="files/${messages[4].file.path.split("/")[1]}/chart%20_1_.png"`);
    expect(html).toContain("line 229");
    // it opens offline: nothing to run, nothing fetched from anywhere
    expect(html).not.toMatch(/<script|src="http|href="http/i);
  });

  it("a server admin exports a private room they are not in; nobody else downloads someone's export", async () => {
    const owner = await createUser(server);
    const o = await connectAs(server, owner);
    const { room } = await ok(o, "room:create", { name: uniqueName("secret"), visibility: "private" });
    await ok(o, "message:send", { roomId: room.id, body: "only us", clientMsgId: "p1" });
    const adminSocket = await connectAs(server, admin);
    const { info, entries } = await exportOf(`/api/rooms/${room.id}/export`, admin, adminSocket);
    expect(JSON.parse(entries.get("messages.json")?.toString() ?? "{}").messages[0].body).toBe("only us");
    expect((await call("GET", `/api/exports/${info.id}/download`, owner.token)).status).toBe(404);
    expect((await call("POST", `/api/rooms/${room.id}/export`, (await createUser(server)).token)).status).toBe(404);
    const listed = (await (await call("GET", "/api/exports", admin.token)).json()) as { exports: ExportInfo[] };
    expect(listed.exports[0]).toMatchObject({ id: info.id, status: "ready" });
  });

  it("a person's export holds their profile, their messages, their conversations and their files, nobody else's", async () => {
    const ana = await createUser(server);
    const bob = await createUser(server);
    const { roomId, sockets } = await roomWith(server, ana, bob);
    const [a, b] = sockets;
    await ok(a, "user:profile", { displayName: "Ana K.", status: "Exporting" });
    await ok(a, "message:send", { roomId, body: "mine in a room", clientMsgId: "a1" });
    await ok(b, "message:send", { roomId, body: "bob's, not mine", clientMsgId: "b1" });
    const { room: other } = await ok(a, "room:create", { name: uniqueName("other") });
    await ok(a, "message:send", { roomId: other.id, body: "mine elsewhere", clientMsgId: "a2" });
    await ok(a, "dm:send", { toUsername: bob.username, body: "hi bob", clientMsgId: "d1" });
    const dm = await ok(b, "dm:send", { toUsername: ana.username, body: "hi ana", clientMsgId: "d2" });
    await upload(ana, `roomId=${roomId}`, "mine.txt", Buffer.from("ana's file"), "text/plain");
    await upload(bob, `roomId=${roomId}`, "bobs.txt", Buffer.from("bob's file"), "text/plain");

    const { info, entries } = await exportOf("/api/me/export", ana, a);
    expect(info.kind).toBe("personal");
    const profile = JSON.parse(entries.get("profile.json")?.toString() ?? "{}");
    expect(profile.user).toMatchObject({ username: ana.username, displayName: "Ana K.", status: "Exporting" });
    expect(profile.rooms.map((r: { id: string }) => r.id).sort()).toEqual([roomId, other.id].sort());
    const mine = JSON.parse(entries.get("messages.json")?.toString() ?? "{}").messages;
    expect(mine.map((x: { body: string }) => x.body)).toEqual(["mine in a room", "mine elsewhere", ""]);
    expect(mine.every((x: { author: { id: string } }) => x.author.id === ana.id)).toBe(true);
    const conversation = [...entries.keys()].find((k) => k.startsWith(`conversations/${bob.username}-`)) as string;
    const talk = JSON.parse(entries.get(conversation)?.toString() ?? "{}");
    expect(talk.conversation).toMatchObject({ id: dm.message.conversationId, with: { username: bob.username } });
    expect(talk.messages.map((x: { body: string }) => x.body)).toEqual(["hi bob", "hi ana"]);
    const files = [...entries.keys()].filter((k) => k.startsWith("files/"));
    expect(files).toHaveLength(1);
    expect(entries.get(files[0])?.toString()).toBe("ana's file");
    expect(entries.get("index.html")?.toString()).toContain("hi ana");
  });
});
