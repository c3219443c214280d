-- AlterTable
ALTER TABLE "Message" ADD COLUMN "mentions" TEXT;

-- AlterTable
ALTER TABLE "DirectMessage" ADD COLUMN "mentions" TEXT;

