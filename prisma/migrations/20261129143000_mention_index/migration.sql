-- Counting a member's unread mentions (server/services/rooms.ts mentionCounts) read every unread
-- message of the room: 150-300 ms to join a room with a million unread. Only messages that
-- mention someone can count, and they are few: this index holds just those. Not in
-- schema.prisma, which has no partial indexes.
CREATE INDEX "Message_mentions_idx" ON "Message"("roomId", "seq") WHERE "mentions" IS NOT NULL;
