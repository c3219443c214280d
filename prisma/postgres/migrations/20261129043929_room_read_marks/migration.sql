-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "lastReadSeq" INTEGER NOT NULL DEFAULT 0;


-- Backfill: members have read what was there before read marks existed
UPDATE "Membership" SET "lastReadSeq" = (SELECT "lastSeq" FROM "Room" WHERE "Room"."id" = "Membership"."roomId");
