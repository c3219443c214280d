-- CreateTable
CREATE TABLE "MessageVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "messageId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "replacedAt" DATETIME NOT NULL,
    CONSTRAINT "MessageVersion_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DirectMessageVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "messageId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "replacedAt" DATETIME NOT NULL,
    CONSTRAINT "DirectMessageVersion_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "DirectMessage" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Room" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "topic" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeq" INTEGER NOT NULL DEFAULT 0,
    "rev" INTEGER NOT NULL DEFAULT 0,
    "lastMessageAt" DATETIME,
    "activityAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Room_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Room" ("activityAt", "createdAt", "createdById", "id", "lastMessageAt", "lastSeq", "name", "nameKey", "topic") SELECT "activityAt", "createdAt", "createdById", "id", "lastMessageAt", "lastSeq", "name", "nameKey", "topic" FROM "Room";
DROP TABLE "Room";
ALTER TABLE "new_Room" RENAME TO "Room";
CREATE UNIQUE INDEX "Room_nameKey_key" ON "Room"("nameKey");
CREATE INDEX "Room_activityAt_idx" ON "Room"("activityAt");
CREATE TABLE "new_Message" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "roomId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "clientMsgId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "fileId" TEXT,
    "rev" INTEGER NOT NULL DEFAULT 0,
    "editedAt" DATETIME,
    "deletedAt" DATETIME,
    CONSTRAINT "Message_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Message_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Message_fileId_fkey" FOREIGN KEY ("fileId") REFERENCES "File" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Message" ("authorId", "body", "clientMsgId", "createdAt", "fileId", "id", "roomId", "seq") SELECT "authorId", "body", "clientMsgId", "createdAt", "fileId", "id", "roomId", "seq" FROM "Message";
DROP TABLE "Message";
ALTER TABLE "new_Message" RENAME TO "Message";
CREATE UNIQUE INDEX "Message_fileId_key" ON "Message"("fileId");
CREATE INDEX "Message_roomId_rev_idx" ON "Message"("roomId", "rev");
CREATE UNIQUE INDEX "Message_roomId_seq_key" ON "Message"("roomId", "seq");
CREATE UNIQUE INDEX "Message_roomId_authorId_clientMsgId_key" ON "Message"("roomId", "authorId", "clientMsgId");
CREATE TABLE "new_Conversation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "pairKey" TEXT NOT NULL,
    "lastSeq" INTEGER NOT NULL DEFAULT 0,
    "rev" INTEGER NOT NULL DEFAULT 0,
    "lastMessageAt" DATETIME,
    "activityAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Conversation" ("activityAt", "createdAt", "id", "lastMessageAt", "lastSeq", "pairKey") SELECT "activityAt", "createdAt", "id", "lastMessageAt", "lastSeq", "pairKey" FROM "Conversation";
DROP TABLE "Conversation";
ALTER TABLE "new_Conversation" RENAME TO "Conversation";
CREATE UNIQUE INDEX "Conversation_pairKey_key" ON "Conversation"("pairKey");
CREATE TABLE "new_DirectMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "conversationId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "clientMsgId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "fileId" TEXT,
    "rev" INTEGER NOT NULL DEFAULT 0,
    "editedAt" DATETIME,
    "deletedAt" DATETIME,
    CONSTRAINT "DirectMessage_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "DirectMessage_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "DirectMessage_fileId_fkey" FOREIGN KEY ("fileId") REFERENCES "File" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_DirectMessage" ("authorId", "body", "clientMsgId", "conversationId", "createdAt", "fileId", "id", "seq") SELECT "authorId", "body", "clientMsgId", "conversationId", "createdAt", "fileId", "id", "seq" FROM "DirectMessage";
DROP TABLE "DirectMessage";
ALTER TABLE "new_DirectMessage" RENAME TO "DirectMessage";
CREATE UNIQUE INDEX "DirectMessage_fileId_key" ON "DirectMessage"("fileId");
CREATE INDEX "DirectMessage_conversationId_rev_idx" ON "DirectMessage"("conversationId", "rev");
CREATE UNIQUE INDEX "DirectMessage_conversationId_seq_key" ON "DirectMessage"("conversationId", "seq");
CREATE UNIQUE INDEX "DirectMessage_conversationId_authorId_clientMsgId_key" ON "DirectMessage"("conversationId", "authorId", "clientMsgId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "MessageVersion_messageId_idx" ON "MessageVersion"("messageId");

-- CreateIndex
CREATE INDEX "DirectMessageVersion_messageId_idx" ON "DirectMessageVersion"("messageId");


-- Backfill: until now a message's only change was its creation, so its rev is its seq, and a
-- room's (conversation's) rev is its last seq
UPDATE "Message" SET "rev" = "seq";
UPDATE "Room" SET "rev" = "lastSeq";
UPDATE "DirectMessage" SET "rev" = "seq";
UPDATE "Conversation" SET "rev" = "lastSeq";
