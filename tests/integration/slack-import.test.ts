// `npm run admin -- import-slack PATH.zip` (issue 18) on a synthetic Slack export built here in
// Slack's documented layout, beside a running server; then the rooms are read as people see them.
// Both providers.
import { createWriteStream, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import yazl from "yazl";
import { runAdmin } from "../helpers/admin-cli.ts";
import {
  closeSockets,
  connectAs,
  createUser,
  ok,
  postJson,
  request,
  startServer,
  type TestServer,
  type TestUser,
} from "../helpers/server.ts";

let server: TestServer;
let admin: TestUser;
let ana: TestUser;

beforeAll(async () => {
  server = await startServer();
  admin = await createUser(server, "admin-person");
  ana = await createUser(server, "ana");
});
afterEach(() => closeSockets());
afterAll(async () => server.close());

const runAdminHere = (args: string[]) => runAdmin(server, args);

const ts = (iso: string, micro = 0) => `${Date.parse(iso) / 1000}.${String(micro).padStart(6, "0")}`;
const REPORT = Buffer.from("%PDF-1.4 quarterly numbers\n");

/** A Slack export as Slack's "Export data" lays it out (plus one file, where slackdump puts files). */
async function slackExport(): Promise<string> {
  const zip = new yazl.ZipFile();
  const add = (name: string, value: unknown) => zip.addBuffer(Buffer.from(JSON.stringify(value, null, 2)), name);
  add("users.json", [
    { id: "U1", name: "ANA", real_name: "Ana Lima", profile: { real_name: "Ana Lima" } },
    { id: "U2", name: "boris.k", real_name: "Boris K", profile: { real_name: "Boris K" } },
    { id: "U3", name: "ci-bot", is_bot: true, profile: { real_name: "CI" } },
  ]);
  add("channels.json", [
    { id: "C1", name: "general", created: 1714000000, creator: "U1", members: ["U1", "U2"], topic: { value: "Company-wide" } },
    { id: "C2", name: "old-stuff", created: 1600000000, creator: "U2", is_archived: true, members: ["U2"] },
  ]);
  add("groups.json", [{ id: "G1", name: "secret-plans", created: 1714000000, creator: "U1", members: ["U1"] }]);
  // a day's file out of order: the import sorts by ts
  add("general/2024-05-02.json", [
    {
      type: "message",
      ts: ts("2024-05-02T09:00:00Z"),
      user: "U2",
      text: "day two, <@U1> see <https://example.com/r|the report>",
    },
    {
      type: "message",
      ts: ts("2024-05-02T09:05:00Z"),
      user: "U2",
      text: "",
      files: [{ id: "F1", name: "q2.pdf", mimetype: "application/pdf" }],
    },
    {
      type: "message",
      ts: ts("2024-05-02T09:06:00Z"),
      user: "U1",
      text: "and a lost one",
      files: [{ id: "F2", name: "gone.png" }],
    },
  ]);
  add("general/2024-05-01.json", [
    {
      type: "message",
      subtype: "channel_join",
      ts: ts("2024-05-01T08:00:00Z"),
      user: "U2",
      text: "<@U2> has joined the channel",
    },
    {
      type: "message",
      ts: ts("2024-05-01T08:01:00Z"),
      user: "U1",
      text: "Welcome *everyone* to general",
      thread_ts: ts("2024-05-01T08:01:00Z"),
      reply_count: 2,
      reactions: [
        { name: "+1", users: ["U2"], count: 1 },
        { name: "partyparrot", users: ["U1", "U2"], count: 2 },
      ],
    },
    {
      type: "message",
      ts: ts("2024-05-01T08:02:00Z"),
      user: "U2",
      text: "thanks!",
      thread_ts: ts("2024-05-01T08:01:00Z"),
      edited: { user: "U2", ts: ts("2024-05-01T08:03:00Z") },
    },
    {
      type: "message",
      ts: ts("2024-05-01T08:02:00Z", 5),
      user: "U1",
      text: "Привет всем",
      thread_ts: ts("2024-05-01T08:01:00Z"),
    },
    {
      type: "message",
      subtype: "bot_message",
      ts: ts("2024-05-01T08:10:00Z"),
      bot_id: "B1",
      username: "Jenkins",
      text: "Build ~broken~ fixed",
    },
  ]);
  add("old-stuff/2020-09-13.json", [{ type: "message", ts: ts("2020-09-13T12:00:00Z"), user: "U2", text: "ancient history" }]);
  add("secret-plans/2024-05-01.json", [{ type: "message", ts: ts("2024-05-01T10:00:00Z"), user: "U1", text: "the plan" }]);
  zip.addBuffer(REPORT, "__uploads/F1/q2.pdf");
  zip.end();
  const file = path.join(mkdtempSync(path.join(tmpdir(), "slack-")), "export.zip");
  await new Promise<void>((resolve, reject) =>
    zip.outputStream.pipe(createWriteStream(file)).on("close", resolve).on("error", reject),
  );
  return file;
}

describe("npm run admin -- import-slack", () => {
  it("turns a Slack export into rooms with their history in order, threads, reactions and files", async () => {
    const a = await connectAs(server, ana);
    // a room of the same name already here: the import takes another name
    await ok(a, "room:create", { name: "general" });
    const run = await runAdminHere(["import-slack", await slackExport()]);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.out).toContain("#general → #general-slack: 7 messages, 1 files");
    expect(run.out).toContain("1 people matched by name, 2 accounts made");

    // ana (matched by name, whatever the case) is in the imported rooms, their history read
    const { rooms } = await ok(a, "room:mine", {});
    const general = rooms.find((r) => r.name === "general-slack");
    const secret = rooms.find((r) => r.name === "secret-plans");
    expect(general).toMatchObject({ topic: "Company-wide", visibility: "public", memberCount: 2, unread: 0 });
    expect(secret).toMatchObject({ visibility: "private" });
    const { messages } = await ok(a, "room:history", { roomId: general?.id as string, afterSeq: 0 });
    expect(messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(messages.map((m) => m.body)).toEqual([
      "Welcome **everyone** to general",
      "thanks!",
      "Привет всем",
      "Build ~~broken~~ fixed",
      "day two, @ana see [the report](https://example.com/r)",
      "",
      "and a lost one\n\n_(files not in the export: gone.png)_",
    ]);
    expect(messages[0].createdAt).toBe("2024-05-01T08:01:00.000Z");
    expect(messages[0].replyCount).toBe(2);
    expect(messages[0].reactions).toEqual([
      { emoji: "👍", count: 1, users: [expect.objectContaining({ username: "boris.k" })] },
      {
        emoji: ":partyparrot:",
        count: 2,
        users: [expect.objectContaining({ id: ana.id }), expect.objectContaining({ username: "boris.k" })],
      },
    ]);
    expect(messages[1]).toMatchObject({ replyTo: { id: messages[0].id, seq: 1 }, editedAt: "2024-05-01T08:03:00.000Z" });
    expect(messages[2].replyTo?.seq).toBe(1);
    expect(messages[3]).toMatchObject({ via: { name: "Jenkins" } });
    expect(messages[4].mentions.users).toEqual([ana.id]);
    expect(messages[5].file).toMatchObject({ name: "q2.pdf", size: REPORT.length, type: "application/pdf" });
    const download = await fetch(`${server.url}/api/files/${messages[5].file?.id}`, {
      headers: { authorization: `Bearer ${ana.token}` },
    });
    expect(Buffer.from(await download.arrayBuffer()).equals(REPORT)).toBe(true);

    // found by search, as anything written here
    const found = await ok(a, "search", { query: "Привет" });
    expect(found.results.map((r) => r.message.id)).toContain(messages[2].id);

    // the people it made are deactivated accounts of their Slack names; Slack's bots are bots
    const boris = await ok(a, "user:get", { username: "boris.k" });
    expect(boris.user).toMatchObject({ displayName: "Boris K", deactivated: true });
    // no password works for them until an admin reactivates them and sends a password link
    const signIn = await postJson(`${server.url}/api/token`, { username: "boris.k", password: "!imported" });
    expect(signIn.status).toBe(401);
    const jenkins = messages[3].author;
    const { profiles } = await ok(a, "user:profiles", { ids: [jenkins.id] });
    expect(profiles[0].bot).toBe(true);

    // the archived channel is an archived room; a second import makes new rooms, nothing twice
    const adminSocket = await connectAs(server, admin);
    const old = (await ok(adminSocket, "room:list", { query: "old-stuff" })).rooms[0];
    expect(old).toMatchObject({ archived: true });
    const again = await runAdminHere(["import-slack", await slackExport()]);
    expect(again.out).toContain("#general → #general-slack-2");
    expect((await ok(a, "room:history", { roomId: general?.id as string })).messages).toHaveLength(7);
  });

  it("refuses what is not a Slack export, and says why", async () => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from("hello"), "readme.txt");
    zip.end();
    const file = path.join(mkdtempSync(path.join(tmpdir(), "slack-")), "not.zip");
    await new Promise<void>((resolve) => zip.outputStream.pipe(createWriteStream(file)).on("close", resolve));
    const run = await runAdminHere(["import-slack", file]);
    expect(run.code).not.toBe(0);
    expect(run.err).toContain("not a Slack export");
    expect((await request(await connectAs(server, admin), "room:list", {})).ok).toBe(true);
  });
});
