-- AlterTable
ALTER TABLE "User" ADD COLUMN     "avatarVersion" INTEGER,
ADD COLUMN     "displayName" TEXT,
ADD COLUMN     "status" TEXT;

