-- AlterTable
ALTER TABLE "Room" ADD COLUMN     "rev" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "deletedAt" TIMESTAMP(3),
ADD COLUMN     "editedAt" TIMESTAMP(3),
ADD COLUMN     "rev" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "rev" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "DirectMessage" ADD COLUMN     "deletedAt" TIMESTAMP(3),
ADD COLUMN     "editedAt" TIMESTAMP(3),
ADD COLUMN     "rev" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "MessageVersion" (
    "id" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "replacedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MessageVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DirectMessageVersion" (
    "id" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "replacedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DirectMessageVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MessageVersion_messageId_idx" ON "MessageVersion"("messageId");

-- CreateIndex
CREATE INDEX "DirectMessageVersion_messageId_idx" ON "DirectMessageVersion"("messageId");

-- CreateIndex
CREATE INDEX "Message_roomId_rev_idx" ON "Message"("roomId", "rev");

-- CreateIndex
CREATE INDEX "DirectMessage_conversationId_rev_idx" ON "DirectMessage"("conversationId", "rev");

-- AddForeignKey
ALTER TABLE "MessageVersion" ADD CONSTRAINT "MessageVersion_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirectMessageVersion" ADD CONSTRAINT "DirectMessageVersion_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "DirectMessage"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Backfill: until now a message's only change was its creation, so its rev is its seq, and a
-- room's (conversation's) rev is its last seq
UPDATE "Message" SET "rev" = "seq";
UPDATE "Room" SET "rev" = "lastSeq";
UPDATE "DirectMessage" SET "rev" = "seq";
UPDATE "Conversation" SET "rev" = "lastSeq";
