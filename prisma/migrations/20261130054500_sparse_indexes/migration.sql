-- Most messages reply to nothing and share no file, yet every new one wrote an entry (a NULL
-- key) into the replyToId and fileId indexes: two of the fourteen pages a one-message send
-- wrote to the WAL on SQLite, two of its index insertions on PostgreSQL. The same indexes now
-- hold only messages that have one; lookups by a value still use them (`x = ?` implies
-- `x IS NOT NULL`), and a file still belongs to one message at most. schema.prisma has no partial
-- indexes and keeps declaring them whole: a later migration that rebuilds these tables must
-- keep the WHERE clauses (docs/architecture.md, Operations).
DROP INDEX "Message_replyToId_idx";
CREATE INDEX "Message_replyToId_idx" ON "Message"("replyToId") WHERE "replyToId" IS NOT NULL;
DROP INDEX "Message_fileId_key";
CREATE UNIQUE INDEX "Message_fileId_key" ON "Message"("fileId") WHERE "fileId" IS NOT NULL;
DROP INDEX "DirectMessage_replyToId_idx";
CREATE INDEX "DirectMessage_replyToId_idx" ON "DirectMessage"("replyToId") WHERE "replyToId" IS NOT NULL;
DROP INDEX "DirectMessage_fileId_key";
CREATE UNIQUE INDEX "DirectMessage_fileId_key" ON "DirectMessage"("fileId") WHERE "fileId" IS NOT NULL;
