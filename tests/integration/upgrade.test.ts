// Upgrading a database that holds data (issue 17 will grow this): rows written under an older
// schema are all there after the newer migrations, with the new columns filled in. On SQLite a
// migration that rebuilds a table must not let the old table's DROP cascade into the rows that
// refer to it (server/db/migrate.ts turns foreign keys off while migrating, and checks them).
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { runMigrations } from "../../server/db/migrate.ts";
import { sqlitePath } from "../../server/db/provider.ts";
import { openMessageStores } from "../../server/services/message-store/index.ts";
import { backfill } from "../../server/services/search/backend.ts";
import { createTestDatabase, type TestDatabase, usingPostgres } from "../helpers/database.ts";

/** The last migration before the change feed rebuilt Room, Message, Conversation and DirectMessage. */
const BEFORE_CHANGE_FEED = "20261129032901_file_removed";

let database: TestDatabase;
afterAll(async () => database?.drop());

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
  await runMigrations(database.url, BEFORE_CHANGE_FEED);
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
