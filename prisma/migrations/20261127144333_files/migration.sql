-- CreateTable
CREATE TABLE "File" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "mimeType" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "uploaderId" TEXT NOT NULL,
    "roomId" TEXT,
    "conversationId" TEXT,
    "thumbWidth" INTEGER,
    "thumbHeight" INTEGER,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "File_uploaderId_fkey" FOREIGN KEY ("uploaderId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "File_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "File_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Message" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "roomId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "clientMsgId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "fileId" TEXT,
    CONSTRAINT "Message_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Message_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Message_fileId_fkey" FOREIGN KEY ("fileId") REFERENCES "File" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Message" ("authorId", "body", "clientMsgId", "createdAt", "id", "roomId", "seq") SELECT "authorId", "body", "clientMsgId", "createdAt", "id", "roomId", "seq" FROM "Message";
DROP TABLE "Message";
ALTER TABLE "new_Message" RENAME TO "Message";
CREATE UNIQUE INDEX "Message_fileId_key" ON "Message"("fileId");
CREATE UNIQUE INDEX "Message_roomId_seq_key" ON "Message"("roomId", "seq");
CREATE UNIQUE INDEX "Message_roomId_authorId_clientMsgId_key" ON "Message"("roomId", "authorId", "clientMsgId");
CREATE TABLE "new_DirectMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "conversationId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "clientMsgId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "fileId" TEXT,
    CONSTRAINT "DirectMessage_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "DirectMessage_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "DirectMessage_fileId_fkey" FOREIGN KEY ("fileId") REFERENCES "File" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_DirectMessage" ("authorId", "body", "clientMsgId", "conversationId", "createdAt", "id", "seq") SELECT "authorId", "body", "clientMsgId", "conversationId", "createdAt", "id", "seq" FROM "DirectMessage";
DROP TABLE "DirectMessage";
ALTER TABLE "new_DirectMessage" RENAME TO "DirectMessage";
CREATE UNIQUE INDEX "DirectMessage_fileId_key" ON "DirectMessage"("fileId");
CREATE UNIQUE INDEX "DirectMessage_conversationId_seq_key" ON "DirectMessage"("conversationId", "seq");
CREATE UNIQUE INDEX "DirectMessage_conversationId_authorId_clientMsgId_key" ON "DirectMessage"("conversationId", "authorId", "clientMsgId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "File_roomId_createdAt_idx" ON "File"("roomId", "createdAt");

-- CreateIndex
CREATE INDEX "File_conversationId_createdAt_idx" ON "File"("conversationId", "createdAt");

