// Upgrading a database that holds data: rows written under an older schema are all there after the
// newer migrations, with the new columns filled in, and the server serves them. On SQLite a
// migration that rebuilds a table must not let the old table's DROP cascade into the rows that
// refer to it (server/db/migrate.ts turns foreign keys off while migrating, and checks them).
// Every new migration is additive, or ships a data migration checked here the same way.
import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { hash } from "@node-rs/argon2";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { migrationsDir, NewerDatabaseError, runMigrations } from "../../server/db/migrate.ts";
import { providerOf, sqlitePath } from "../../server/db/provider.ts";
import { openMessageStores } from "../../server/services/message-store/index.ts";
import { backfill } from "../../server/services/search/backend.ts";
import { createTestDatabase, type TestDatabase, usingPostgres } from "../helpers/database.ts";
import { closeSockets, connectAs, ok, postJson, startServer, TEST_HASH_COST } from "../helpers/server.ts";

/** The last migration before the change feed rebuilt Room, Message, Conversation and DirectMessage. */
const BEFORE_CHANGE_FEED = "20261129032901_file_removed";

let database: TestDatabase;
afterAll(async () => {
  closeSockets();
  await database?.drop();
});

/** Runs statements on the test database, whichever provider it is. */
async function sql(statements: string[]): Promise<Record<string, unknown>[][]> {
  if (usingPostgres) {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const out: Record<string, unknown>[][] = [];
      for (const s of statements) out.push((await client.query(s)).rows);
      return out;
    } finally {
      await client.end();
    }
  }
  const db = new Database(sqlitePath(database.url));
  try {
    return statements.map((s) => {
      if (s.trimStart().startsWith("SELECT")) return db.prepare(s).all() as Record<string, unknown>[];
      db.exec(s);
      return [];
    });
  } finally {
    db.close();
  }
}

it("keeps every room, member, message, file and private message through the later migrations", async () => {
  database = await createTestDatabase();
  await runMigrations(database.url, { upTo: BEFORE_CHANGE_FEED });
  const at = usingPostgres ? "'2026-11-01 10:00:00'" : "1761991200000";
  await sql([
    `INSERT INTO "User" (id, username, "usernameKey", "passwordHash") VALUES ('u1', 'ann', 'ann', 'x'), ('u2', 'bob', 'bob', 'x')`,
    `INSERT INTO "Room" (id, name, "nameKey", "createdById", "lastSeq") VALUES ('r1', 'general', 'general', 'u1', 3)`,
    // a room its creator has left
    `INSERT INTO "Room" (id, name, "nameKey", "createdById") VALUES ('r2', 'left', 'left', 'u1')`,
    `INSERT INTO "Membership" ("roomId", "userId") VALUES ('r1', 'u1'), ('r1', 'u2'), ('r2', 'u2')`,
    `INSERT INTO "File" (id, name, "nameKey", size, "mimeType", sha256, "uploaderId", "roomId", "createdAt")
       VALUES ('f1', 'a.txt', 'a.txt', 1, 'text/plain', 'x', 'u1', 'r1', ${at})`,
    `INSERT INTO "Message" (id, "roomId", seq, "authorId", body, "clientMsgId", "createdAt", "fileId")
       VALUES ('m1', 'r1', 1, 'u1', 'one', 'c1', ${at}, NULL), ('m2', 'r1', 2, 'u2', 'two', 'c2', ${at}, NULL),
              ('m3', 'r1', 3, 'u1', '', 'c3', ${at}, 'f1')`,
    `INSERT INTO "Conversation" (id, "pairKey", "lastSeq") VALUES ('d1', 'u1:u2', 1)`,
    `INSERT INTO "ConversationMember" ("conversationId", "userId") VALUES ('d1', 'u1'), ('d1', 'u2')`,
    `INSERT INTO "DirectMessage" (id, "conversationId", seq, "authorId", body, "clientMsgId", "createdAt")
       VALUES ('p1', 'd1', 1, 'u1', 'hi', 'p', ${at})`,
  ]);

  expect((await runMigrations(database.url)).length).toBeGreaterThan(0);
  const [messages, members, room, files, conversation, direct] = await sql([
    `SELECT id, seq, rev, body, "fileId" FROM "Message" ORDER BY seq`,
    `SELECT "userId", "lastReadSeq", role FROM "Membership" WHERE "roomId" = 'r1' ORDER BY "userId"`,
    `SELECT rev, "lastSeq", visibility FROM "Room" WHERE id = 'r1'`,
    `SELECT id FROM "File"`,
    `SELECT rev FROM "Conversation"`,
    `SELECT seq, rev, body FROM "DirectMessage"`,
  ]);
  expect(messages).toEqual([
    { id: "m1", seq: 1, rev: 1, body: "one", fileId: null },
    { id: "m2", seq: 2, rev: 2, body: "two", fileId: null },
    { id: "m3", seq: 3, rev: 3, body: "", fileId: "f1" },
  ]);
  // what was there before read marks counts as read
  // a room's creator owns it; every room was public
  expect(members).toEqual([
    { userId: "u1", lastReadSeq: 3, role: "owner" },
    { userId: "u2", lastReadSeq: 3, role: "member" },
  ]);
  expect(room).toEqual([{ rev: 3, lastSeq: 3, visibility: "public" }]);
  // a room its creator left is owned by whoever has been in it longest; the first account is the server's admin
  const [heir, admins] = await sql([
    `SELECT "userId", role FROM "Membership" WHERE "roomId" = 'r2'`,
    `SELECT id FROM "User" WHERE "isAdmin" = true`,
  ]);
  expect(heir).toEqual([{ userId: "u2", role: "owner" }]);
  expect(admins).toEqual([{ id: "u1" }]);
  expect(files).toEqual([{ id: "f1" }]);
  expect(conversation).toEqual([{ rev: 1 }]);
  expect(direct).toEqual([{ seq: 1, rev: 1, body: "hi" }]);

  // the search index holds every message, oldest first, folded once the server fills it in
  const stores = openMessageStores(database.url);
  try {
    expect(await backfill(stores.search, () => false, 2)).toBe(3);
    const hits = await stores.search.find({
      userId: "u1",
      patterns: [],
      within: null,
      authorIds: null,
      has: [],
      after: null,
      before: null,
      order: "newest",
      cursor: 0,
      limit: 10,
    });
    expect(hits.map((h) => h.messageId)).toEqual(["p1", "m3", "m2", "m1"]);
  } finally {
    await stores.close();
  }
  const [entries] = await sql([`SELECT "messageId", text, "fileType" FROM "SearchText" ORDER BY id`]);
  expect(entries).toEqual([
    { messageId: "m1", text: " one ", fileType: null },
    { messageId: "m2", text: " two ", fileType: null },
    { messageId: "m3", text: " a . txt ", fileType: "text/plain" },
    { messageId: "p1", text: " hi ", fileType: null },
  ]);
});

/** The first schema this repository shipped, and each migration after it that added tables. */
const FIRST = "20261127120000_init";
const DIRECT_MESSAGES = "20261127130313_direct_messages";
const FILES = "20261127144333_files";
const REVOCATION = "20261129020921_session_revocation";
const CHANGE_FEED = "20261129041253_change_feed";
const PUSH = "20261129110555_push_subscriptions";
const GOVERNANCE = "20261129155426_governance";
const SERVER_SETTINGS = "20261129161601_server_settings";

it("keeps every row written under the first schema through every migration, and the server serves them", async () => {
  await database?.drop();
  database = await createTestDatabase();
  const password = "first schema password";
  const passwordHash = await hash(password, TEST_HASH_COST);
  // SQLite keeps times as milliseconds (Prisma's unixepoch-ms), PostgreSQL as timestamps
  const time = (minute: number) =>
    usingPostgres ? `'2026-11-27 12:${String(minute).padStart(2, "0")}:00'` : String(Date.UTC(2026, 10, 27, 12, minute));

  // the first schema: people, rooms, members, messages
  expect(await runMigrations(database.url, { upTo: FIRST })).toEqual([FIRST]);
  const bodies = Array.from(
    { length: 40 },
    (_, i) => [`message ${i + 1}`, `привет, ${i + 1}`, `\`code ${i + 1}\` 🎉`, `line one ${i + 1}\nline two`][i % 4],
  );
  const authors = ["u1", "u2", "u3"];
  await sql([
    `INSERT INTO "User" (id, username, "usernameKey", "passwordHash") VALUES
       ('u1', 'ann', 'ann', '${passwordHash}'), ('u2', 'bob', 'bob', '${passwordHash}'), ('u3', 'cat', 'cat', '${passwordHash}')`,
    `INSERT INTO "Room" (id, name, "nameKey", topic, "createdById", "lastSeq", "lastMessageAt")
       VALUES ('r1', 'general', 'general', 'Everything', 'u1', 40, ${time(40)}), ('r2', 'quiet', 'quiet', NULL, 'u2', 0, NULL)`,
    `INSERT INTO "Membership" ("roomId", "userId") VALUES ('r1', 'u1'), ('r1', 'u2'), ('r1', 'u3'), ('r2', 'u2')`,
    `INSERT INTO "Message" (id, "roomId", seq, "authorId", body, "clientMsgId", "createdAt") VALUES ${bodies
      .map(
        (body, i) =>
          `('m${i + 1}', 'r1', ${i + 1}, '${authors[i % 3]}', '${body.replaceAll("'", "''")}', 'c${i + 1}', ${time(i)})`,
      )
      .join(", ")}`,
  ]);

  // private messages
  expect(await runMigrations(database.url, { upTo: DIRECT_MESSAGES })).toEqual([DIRECT_MESSAGES]);
  await sql([
    `INSERT INTO "Conversation" (id, "pairKey", "lastSeq", "lastMessageAt") VALUES ('d1', 'u1:u2', 5, ${time(45)})`,
    `INSERT INTO "ConversationMember" ("conversationId", "userId", "lastReadSeq") VALUES ('d1', 'u1', 5), ('d1', 'u2', 3)`,
    `INSERT INTO "DirectMessage" (id, "conversationId", seq, "authorId", body, "clientMsgId", "createdAt") VALUES ${[
      1, 2, 3, 4, 5,
    ]
      .map((n) => `('p${n}', 'd1', ${n}, '${n % 2 ? "u1" : "u2"}', 'private ${n}', 'pc${n}', ${time(40 + n)})`)
      .join(", ")}`,
  ]);

  // shared files, their bytes where the server keeps them (UPLOAD_DIR/<first two characters>/<id>)
  expect(await runMigrations(database.url, { upTo: FILES })).toEqual([FILES]);
  const files = [
    { id: randomUUID(), name: "notes.txt", type: "text/plain", bytes: Buffer.from("the first file ever shared\n"), where: "r1" },
    { id: randomUUID(), name: "план.pdf", type: "application/pdf", bytes: Buffer.from("%PDF-1.4 private"), where: "d1" },
  ];
  for (const f of files) {
    const dir = path.join(database.dir, "uploads", f.id.slice(0, 2));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, f.id), f.bytes);
  }
  const [roomFile, dmFile] = files;
  const fileRow = (f: (typeof files)[number], uploader: string, column: string) =>
    `INSERT INTO "File" (id, name, "nameKey", size, "mimeType", sha256, "uploaderId", "${column}", "createdAt")
       VALUES ('${f.id}', '${f.name}', '${f.name}', ${f.bytes.length}, '${f.type}', '${createHash("sha256").update(f.bytes).digest("hex")}', '${uploader}', '${f.where}', ${time(50)})`;
  await sql([
    fileRow(roomFile, "u3", "roomId"),
    fileRow(dmFile, "u2", "conversationId"),
    `INSERT INTO "Message" (id, "roomId", seq, "authorId", body, "clientMsgId", "createdAt", "fileId")
       VALUES ('m41', 'r1', 41, 'u3', '', 'c41', ${time(50)}, '${roomFile.id}')`,
    `UPDATE "Room" SET "lastSeq" = 41 WHERE id = 'r1'`,
    `INSERT INTO "DirectMessage" (id, "conversationId", seq, "authorId", body, "clientMsgId", "createdAt", "fileId")
       VALUES ('p6', 'd1', 6, 'u2', 'the plan', 'pc6', ${time(51)}, '${dmFile.id}')`,
    `UPDATE "Conversation" SET "lastSeq" = 6 WHERE id = 'd1'`,
  ]);

  // a signed-out session
  expect(await runMigrations(database.url, { upTo: REVOCATION })).toEqual([REVOCATION]);
  await sql([
    `INSERT INTO "RevokedSession" (id, "userId", "expiresAt") VALUES ('s1', 'u1', ${usingPostgres ? "'2099-01-01 00:00:00'" : Date.UTC(2099, 0, 1)})`,
  ]);

  // and every table added since, as it appeared: earlier versions of edited messages, a push
  // subscription, a ban, an invitation and an invite link, a server setting, invite and reset
  const later = usingPostgres ? "'2099-01-01 00:00:00'" : String(Date.UTC(2099, 0, 1));
  expect((await runMigrations(database.url, { upTo: CHANGE_FEED })).at(-1)).toBe(CHANGE_FEED);
  await sql([
    `INSERT INTO "MessageVersion" (id, "messageId", body, "replacedAt") VALUES ('v1', 'm2', 'an earlier wording', ${time(55)})`,
    `INSERT INTO "DirectMessageVersion" (id, "messageId", body, "replacedAt") VALUES ('v2', 'p2', 'private, before', ${time(56)})`,
  ]);
  expect((await runMigrations(database.url, { upTo: PUSH })).at(-1)).toBe(PUSH);
  await sql([
    `INSERT INTO "PushSubscription" (id, "userId", endpoint, p256dh, auth) VALUES ('ps1', 'u1', 'https://push.example/1', 'key', 'secret')`,
  ]);
  expect((await runMigrations(database.url, { upTo: GOVERNANCE })).at(-1)).toBe(GOVERNANCE);
  await sql([
    `INSERT INTO "RoomBan" ("roomId", "userId", "bannedById") VALUES ('r2', 'u3', 'u2')`,
    `INSERT INTO "RoomInvitation" ("roomId", "userId", "invitedById") VALUES ('r2', 'u1', 'u2')`,
    `INSERT INTO "RoomInviteLink" (token, "roomId", "createdById", "maxUses") VALUES ('link-token', 'r1', 'u1', 10)`,
  ]);
  expect((await runMigrations(database.url, { upTo: SERVER_SETTINGS })).at(-1)).toBe(SERVER_SETTINGS);
  await sql([
    `INSERT INTO "ServerSetting" (key, value) VALUES ('registration', 'open')`,
    `INSERT INTO "ServerInvite" (token, "createdById", "maxUses") VALUES ('server-invite', 'u1', 5)`,
    `INSERT INTO "PasswordReset" ("tokenHash", "userId", "createdById", "expiresAt") VALUES ('hash', 'u2', 'u1', ${later})`,
  ]);

  // then every migration since, as a server of today would at its start
  expect((await runMigrations(database.url)).length).toBeGreaterThan(0);
  const tables = {
    User: 3,
    Room: 2,
    Membership: 4,
    Message: 41,
    Conversation: 1,
    ConversationMember: 2,
    DirectMessage: 6,
    File: 2,
    RevokedSession: 1,
    MessageVersion: 1,
    DirectMessageVersion: 1,
    PushSubscription: 1,
    RoomBan: 1,
    RoomInvitation: 1,
    RoomInviteLink: 1,
    ServerSetting: 1,
    ServerInvite: 1,
    PasswordReset: 1,
  };
  const counts = await sql(Object.keys(tables).map((table) => `SELECT '${table}' AS "table", COUNT(*) AS n FROM "${table}"`));
  expect(Object.fromEntries(counts.map(([row]) => [row.table, Number(row.n)]))).toEqual(tables);

  // the server of today serves all of it: sign-in with the old password, the history in order
  // with its file, the private conversation, the files' bytes
  const server = await startServer({}, database);
  try {
    const signedIn = await postJson(`${server.url}/api/token`, { username: "ann", password });
    expect(signedIn.status).toBe(200);
    const ann = await connectAs(server, { id: "u1", username: "ann", password, token: signedIn.body.token });
    const history = await ok(ann, "room:history", { roomId: "r1", limit: 100 });
    expect(history.messages.map((m) => m.seq)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
    expect(history.messages.slice(0, 40).map((m) => m.body)).toEqual(bodies);
    expect(history.messages.slice(0, 40).map((m) => m.author.username)).toEqual(
      bodies.map((_, i) => ["ann", "bob", "cat"][i % 3]),
    );
    expect(history.messages[40].file).toMatchObject({ id: roomFile.id, name: "notes.txt", size: roomFile.bytes.length });
    const dms = await ok(ann, "dm:history", { conversationId: "d1", limit: 100 });
    expect(dms.messages.map((m) => m.body)).toEqual([
      "private 1",
      "private 2",
      "private 3",
      "private 4",
      "private 5",
      "the plan",
    ]);
    expect(dms.messages[5].file?.name).toBe("план.pdf");
    for (const f of files) {
      const res = await fetch(`${server.url}/api/files/${f.id}`, { headers: { authorization: `Bearer ${signedIn.body.token}` } });
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer())).toEqual(f.bytes);
    }
    const { rooms } = await ok(ann, "room:list", {});
    expect(rooms.map((r) => r.name).sort()).toEqual(["general", "quiet"]);
  } finally {
    closeSockets();
    await server.close();
  }
});

it("refuses a database a newer Komnata has migrated, and changes nothing in it", async () => {
  await database?.drop();
  database = await createTestDatabase();
  await runMigrations(database.url);
  const future = "29991231000000_from_the_future";
  await sql([
    `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
     VALUES ('future', 'x', ${usingPostgres ? "now()" : "current_timestamp"}, '${future}', ${usingPostgres ? "now()" : "current_timestamp"}, 1)`,
  ]);
  const newest = readdirSync(migrationsDir(providerOf(database.url)))
    .filter((n) => /^\d{14}_/.test(n))
    .sort()
    .at(-1);
  const refusal = runMigrations(database.url);
  await expect(refusal).rejects.toBeInstanceOf(NewerDatabaseError);
  await expect(refusal).rejects.toThrow(
    `This database was upgraded by a newer Komnata: it has migration ${future}, and this version's newest is ${newest}.`,
  );
  // and so does a server started on it
  await expect(startServer({}, database)).rejects.toThrow("upgraded by a newer Komnata");
});
