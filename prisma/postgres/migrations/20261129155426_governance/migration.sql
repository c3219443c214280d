-- AlterTable
ALTER TABLE "User" ADD COLUMN     "deactivatedAt" TIMESTAMP(3),
ADD COLUMN     "isAdmin" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Room" ADD COLUMN     "archivedAt" TIMESTAMP(3),
ADD COLUMN     "visibility" TEXT NOT NULL DEFAULT 'public';

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "role" TEXT NOT NULL DEFAULT 'member';

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "deletedById" TEXT;

-- AlterTable
ALTER TABLE "DirectMessage" ADD COLUMN     "deletedById" TEXT;

-- CreateTable
CREATE TABLE "RoomBan" (
    "roomId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "bannedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoomBan_pkey" PRIMARY KEY ("roomId","userId")
);

-- CreateTable
CREATE TABLE "RoomInvitation" (
    "roomId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "invitedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoomInvitation_pkey" PRIMARY KEY ("roomId","userId")
);

-- CreateTable
CREATE TABLE "RoomInviteLink" (
    "token" TEXT NOT NULL,
    "roomId" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "maxUses" INTEGER,
    "uses" INTEGER NOT NULL DEFAULT 0,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "RoomInviteLink_pkey" PRIMARY KEY ("token")
);

-- CreateIndex
CREATE INDEX "RoomInvitation_userId_idx" ON "RoomInvitation"("userId");

-- CreateIndex
CREATE INDEX "RoomInviteLink_roomId_idx" ON "RoomInviteLink"("roomId");

-- AddForeignKey
ALTER TABLE "RoomBan" ADD CONSTRAINT "RoomBan_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoomInvitation" ADD CONSTRAINT "RoomInvitation_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoomInviteLink" ADD CONSTRAINT "RoomInviteLink_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Data: the first account becomes the server's admin; each room's creator, while a member, its
-- owner, else its longest-standing member (a room is never left without an owner who could act).
UPDATE "User" SET "isAdmin" = true WHERE "id" = (SELECT "id" FROM "User" ORDER BY "createdAt", "id" LIMIT 1);
UPDATE "Membership" SET "role" = 'owner' WHERE "userId" = (SELECT r."createdById" FROM "Room" r WHERE r."id" = "Membership"."roomId");
UPDATE "Membership" SET "role" = 'owner'
WHERE "userId" = (
  SELECT m."userId" FROM "Membership" m WHERE m."roomId" = "Membership"."roomId" ORDER BY m."joinedAt", m."userId" LIMIT 1
) AND NOT EXISTS (SELECT 1 FROM "Membership" o WHERE o."roomId" = "Membership"."roomId" AND o."role" = 'owner');
