// SQLite's trigram index is filled in batches (decision 015): a search finds every entry written
// before it, however many are waiting (after an upgrade, millions), and entries edited or deleted
// once indexed change the index at once. PostgreSQL's GIN index needs none of this.
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMigrations } from "../../server/db/migrate.ts";
import { sqlitePath } from "../../server/db/provider.ts";
import { type MessageStores, openMessageStores } from "../../server/services/message-store/index.ts";
import type { SearchFilter } from "../../server/services/search/backend.ts";
import { searchEntry } from "../../server/services/search/entry.ts";
import { createTestDatabase, type TestDatabase, usingPostgres } from "../helpers/database.ts";

let database: TestDatabase;
let stores: MessageStores;
let raw: Database.Database;

const filter = (pattern: string): SearchFilter => ({
  userId: "u1",
  patterns: [{ column: "text", pattern }],
  within: null,
  authorIds: null,
  has: [],
  after: null,
  before: null,
  order: "newest",
  cursor: 0,
  limit: 50,
});
const upTo = () => (raw.prepare(`SELECT "upTo" FROM "SearchIndexed"`).get() as { upTo: number }).upTo;

describe.skipIf(usingPostgres)("the SQLite search index", () => {
  beforeAll(async () => {
    database = await createTestDatabase("sqlite");
    await runMigrations(database.url);
    raw = new Database(sqlitePath(database.url));
    raw.exec(`INSERT INTO "User" (id, username, usernameKey, passwordHash) VALUES ('u1', 'ann', 'ann', 'x');
      INSERT INTO "Room" (id, name, nameKey, createdById) VALUES ('r1', 'general', 'general', 'u1');
      INSERT INTO "Membership" (roomId, userId) VALUES ('r1', 'u1');`);
    stores = openMessageStores(database.url);
  });
  afterAll(async () => {
    raw?.close();
    await stores?.close();
    await database?.drop();
  });

  it("takes in every waiting entry before a search, a batch at a time", async () => {
    const insert = raw.prepare(
      `INSERT INTO "SearchText" (messageId, roomId, authorId, createdAt, text, grams) VALUES (?, 'r1', 'u1', ?, ?, '')`,
    );
    raw.transaction(() => {
      for (let i = 1; i <= 12_345; i++) insert.run(`m${i}`, i, searchEntry(i === 7 ? "the first needle" : `hay ${i}`, null).text);
      insert.run("last", 99_999, searchEntry("the last needle", null).text);
    })();
    expect(upTo()).toBe(0);
    const hits = await stores.search.find(filter("needle"));
    expect(hits.map((h) => h.messageId)).toEqual(["last", "m7"]);
    expect(upTo()).toBe(12_346);
  });

  it("changes the index at once for an indexed entry, and never reuses the id of a deleted newest one", async () => {
    raw.prepare(`UPDATE "SearchText" SET text = ? WHERE messageId = 'm7'`).run(searchEntry("a haystack", null).text);
    raw.prepare(`DELETE FROM "SearchText" WHERE messageId = 'last'`).run();
    expect((await stores.search.find(filter("needle"))).map((h) => h.messageId)).toEqual([]);
    const { lastInsertRowid } = raw
      .prepare(
        `INSERT INTO "SearchText" (messageId, roomId, authorId, createdAt, text, grams) VALUES ('new', 'r1', 'u1', 1, ?, '')`,
      )
      .run(searchEntry("a new needle", null).text);
    expect(Number(lastInsertRowid)).toBe(12_347);
    expect((await stores.search.find(filter("needle"))).map((h) => h.messageId)).toEqual(["new"]);
    // the FTS5 index agrees with its content table
    raw.prepare(`INSERT INTO "SearchIndex" ("SearchIndex") VALUES ('integrity-check')`).run();
  });
});
