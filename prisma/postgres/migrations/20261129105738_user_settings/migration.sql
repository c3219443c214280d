-- AlterTable
ALTER TABLE "User" ADD COLUMN     "settings" TEXT;

