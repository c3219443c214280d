-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "pinnedAt" TIMESTAMP(3),
ADD COLUMN     "pinnedById" TEXT;

-- AlterTable
ALTER TABLE "DirectMessage" ADD COLUMN     "pinnedAt" TIMESTAMP(3),
ADD COLUMN     "pinnedById" TEXT;


-- Written by hand: the pins of a room, newest first, from an index of the pinned messages only
-- (a handful per room, beside millions of others).
CREATE INDEX "Message_pinned_idx" ON "Message"("roomId", "pinnedAt") WHERE "pinnedAt" IS NOT NULL;
