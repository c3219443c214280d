-- AlterTable
ALTER TABLE "File" ADD COLUMN     "removedAt" TIMESTAMP(3);

