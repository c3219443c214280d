-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "notify" TEXT NOT NULL DEFAULT 'mentions';

