-- AlterTable
ALTER TABLE "User" ADD COLUMN "avatarVersion" INTEGER;
ALTER TABLE "User" ADD COLUMN "displayName" TEXT;
ALTER TABLE "User" ADD COLUMN "status" TEXT;

