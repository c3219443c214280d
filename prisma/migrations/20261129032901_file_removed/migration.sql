-- AlterTable
ALTER TABLE "File" ADD COLUMN "removedAt" DATETIME;

