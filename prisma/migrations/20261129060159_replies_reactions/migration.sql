-- Written by hand: Prisma would rebuild both tables (copying every message) for what SQLite can
-- do in place; the columns end up in the schema's order all the same.
ALTER TABLE "Message" ADD COLUMN "replyToId" TEXT;
ALTER TABLE "Message" ADD COLUMN "replyCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Message" ADD COLUMN "reactions" TEXT;
CREATE INDEX "Message_replyToId_idx" ON "Message"("replyToId");

ALTER TABLE "DirectMessage" ADD COLUMN "replyToId" TEXT;
ALTER TABLE "DirectMessage" ADD COLUMN "replyCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "DirectMessage" ADD COLUMN "reactions" TEXT;
CREATE INDEX "DirectMessage_replyToId_idx" ON "DirectMessage"("replyToId");
