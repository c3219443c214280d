-- Message search (docs/decisions/015-search.md). Not in schema.prisma: Prisma has no full-text
-- index for SQLite, and the search runs on the driver (server/services/search/).
--
-- One row per message that can be found (not deleted), in rooms and conversations: its text and
-- file name folded (server/protocol/search.ts), what the filters need, and an integer id in the
-- order messages were written, so "newest first" is the index's own order (never reused: an id
-- at or below the indexed mark must be one the index has seen).
CREATE TABLE "SearchText" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "messageId" TEXT NOT NULL,
    "roomId" TEXT,
    "conversationId" TEXT,
    "authorId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    -- the shared file's type (null: no file, or removed)
    "fileType" TEXT,
    -- '' until folded by the server (rows of messages written before this migration)
    "text" TEXT NOT NULL,
    "grams" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "SearchText_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room" ("id") ON DELETE CASCADE,
    CONSTRAINT "SearchText_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "SearchText_messageId_key" ON "SearchText"("messageId");
-- (each row is in one of them: a room's or a conversation's; also what a deletion cascades by)
CREATE INDEX "SearchText_roomId_id_idx" ON "SearchText"("roomId", "id") WHERE "roomId" IS NOT NULL;
CREATE INDEX "SearchText_conversationId_id_idx" ON "SearchText"("conversationId", "id") WHERE "conversationId" IS NOT NULL;

-- The trigram index over it (external content: the text is kept once, in SearchText). The text
-- is folded already: no case folding of its own. Rows reach the index in batches, up to
-- SearchIndexed.upTo (the server adds what is past it every second and before every search:
-- FTS5 writes a segment per transaction, so one per message batch cost twice as much); a row at
-- or below the mark that changes or goes changes the index at once, by these triggers.
CREATE VIRTUAL TABLE "SearchIndex" USING fts5(
    "text", "grams", content='SearchText', content_rowid='id', tokenize='trigram case_sensitive 1'
);
CREATE TABLE "SearchIndexed" (
    "id" INTEGER NOT NULL PRIMARY KEY CHECK ("id" = 1),
    "upTo" INTEGER NOT NULL
);
INSERT INTO "SearchIndexed" ("id", "upTo") VALUES (1, 0);
CREATE TRIGGER "SearchText_ad" AFTER DELETE ON "SearchText"
WHEN old."id" <= (SELECT "upTo" FROM "SearchIndexed" WHERE "id" = 1) BEGIN
    INSERT INTO "SearchIndex" ("SearchIndex", rowid, "text", "grams") VALUES ('delete', old."id", old."text", old."grams");
END;
CREATE TRIGGER "SearchText_au" AFTER UPDATE OF "text", "grams" ON "SearchText"
WHEN old."id" <= (SELECT "upTo" FROM "SearchIndexed" WHERE "id" = 1) BEGIN
    INSERT INTO "SearchIndex" ("SearchIndex", rowid, "text", "grams") VALUES ('delete', old."id", old."text", old."grams");
    INSERT INTO "SearchIndex" (rowid, "text", "grams") VALUES (new."id", new."text", new."grams");
END;

-- Every message there is, oldest first, to be folded by the server when it starts.
INSERT INTO "SearchText" ("messageId", "roomId", "conversationId", "authorId", "createdAt", "fileType", "text")
SELECT "id", "roomId", "conversationId", "authorId", "createdAt", "fileType", '' FROM (
    SELECT m."id", m."roomId", NULL AS "conversationId", m."authorId", m."createdAt",
        CASE WHEN f."removedAt" IS NULL THEN f."mimeType" END AS "fileType"
    FROM "Message" m LEFT JOIN "File" f ON f."id" = m."fileId" WHERE m."deletedAt" IS NULL
    UNION ALL
    SELECT m."id", NULL, m."conversationId", m."authorId", m."createdAt",
        CASE WHEN f."removedAt" IS NULL THEN f."mimeType" END
    FROM "DirectMessage" m LEFT JOIN "File" f ON f."id" = m."fileId" WHERE m."deletedAt" IS NULL
) ORDER BY "createdAt", "id";
