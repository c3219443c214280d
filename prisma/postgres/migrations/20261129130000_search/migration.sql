-- Message search (docs/decisions/015-search.md). Not in schema.prisma: the trigram index is
-- PostgreSQL's own, and the search runs on the driver (server/services/search/).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- One row per message that can be found (not deleted), in rooms and conversations: its text and
-- file name folded (server/protocol/search.ts), what the filters need, and an id in the order
-- messages were written, so "newest first" needs no other column.
CREATE TABLE "SearchText" (
    "id" BIGSERIAL NOT NULL,
    "messageId" TEXT NOT NULL,
    "roomId" TEXT,
    "conversationId" TEXT,
    "authorId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    -- the shared file's type (null: no file, or removed)
    "fileType" TEXT,
    -- '' until folded by the server (rows of messages written before this migration)
    "text" TEXT NOT NULL,
    "grams" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "SearchText_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "SearchText_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room" ("id") ON DELETE CASCADE,
    CONSTRAINT "SearchText_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "SearchText_messageId_key" ON "SearchText"("messageId");
-- (each row is in one of them: a room's or a conversation's; also what a deletion cascades by)
CREATE INDEX "SearchText_roomId_id_idx" ON "SearchText"("roomId", "id") WHERE "roomId" IS NOT NULL;
CREATE INDEX "SearchText_conversationId_id_idx" ON "SearchText"("conversationId", "id") WHERE "conversationId" IS NOT NULL;
-- trigram indexes: a LIKE '%…%' of 3 letters or more is found through them
CREATE INDEX "SearchText_text_trgm_idx" ON "SearchText" USING gin ("text" gin_trgm_ops);
CREATE INDEX "SearchText_grams_trgm_idx" ON "SearchText" USING gin ("grams" gin_trgm_ops);

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
) AS existing ORDER BY "createdAt", "id";
