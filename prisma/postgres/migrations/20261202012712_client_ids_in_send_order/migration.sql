-- The unique key that makes a send idempotent, (scope, author, clientMsgId), kept with the author
-- before the client's id: a room's new entries landed at as many places as it has authors, and a
-- batch of sends from different people wrote one page of this index each (the largest share of
-- the pages a send writes to SQLite's WAL under load: 1 of 2.65 at 3,000 msg/s). With the
-- client's id first, ids that grow with time (the browser's and the terminal client's:
-- docs/protocol.md) put a room's new entries side by side at the end of its range. The key is
-- the same set of columns, so what is unique is unchanged, and the lookup of a repeated send
-- (scope, author and id all given) uses it as before.
CREATE UNIQUE INDEX "Message_roomId_clientMsgId_authorId_key" ON "Message"("roomId", "clientMsgId", "authorId");
DROP INDEX "Message_roomId_authorId_clientMsgId_key";
CREATE UNIQUE INDEX "DirectMessage_conversationId_clientMsgId_authorId_key" ON "DirectMessage"("conversationId", "clientMsgId", "authorId");
DROP INDEX "DirectMessage_conversationId_authorId_clientMsgId_key";
