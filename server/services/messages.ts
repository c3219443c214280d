import { randomUUID } from "node:crypto";
import type { Db } from "../db.ts";
import type { PublicUser } from "./users.ts";

/** A message as every client sees it (docs/protocol.md). */
export interface WireMessage {
  id: string;
  roomId: string;
  seq: number;
  body: string;
  author: PublicUser;
  createdAt: string;
  clientMsgId: string;
}

export interface OutgoingMessage {
  roomId: string;
  author: PublicUser;
  body: string;
  clientMsgId: string;
}

export function toWireMessage(row: {
  id: string;
  roomId: string;
  seq: number;
  body: string;
  clientMsgId: string;
  createdAt: Date;
  author: PublicUser;
}): WireMessage {
  return {
    id: row.id,
    roomId: row.roomId,
    seq: row.seq,
    body: row.body,
    author: { id: row.author.id, username: row.author.username },
    createdAt: row.createdAt.toISOString(),
    clientMsgId: row.clientMsgId,
  };
}

export interface Stored {
  message: WireMessage;
  /** false when this send repeated a clientMsgId that was already stored */
  created: boolean;
}

const dedupeKey = (authorId: string, clientMsgId: string) => `${authorId}\u0000${clientMsgId}`;

/**
 * Stores a batch of messages for one room in one transaction and returns them in input order.
 * Sequence numbers are taken by incrementing the room's `lastSeq` inside the transaction (a row
 * lock on PostgreSQL, the single writer on SQLite), so they are gapless and strictly increasing
 * even with several server nodes. A send whose (author, clientMsgId) is already stored, earlier
 * or in this same batch, gets the stored message back instead of a second copy.
 */
export async function storeRoomBatch(db: Db, roomId: string, batch: OutgoingMessage[]): Promise<Stored[]> {
  return db.$transaction(async (tx) => {
    const existing = await tx.message.findMany({
      where: { roomId, clientMsgId: { in: [...new Set(batch.map((m) => m.clientMsgId))] } },
      include: { author: { select: { id: true, username: true } } },
    });
    const stored = new Map<string, Stored>(
      existing.map((row) => [dedupeKey(row.authorId, row.clientMsgId), { message: toWireMessage(row), created: false }]),
    );

    const fresh: OutgoingMessage[] = [];
    const seen = new Set(stored.keys());
    for (const m of batch) {
      const key = dedupeKey(m.author.id, m.clientMsgId);
      if (!seen.has(key)) {
        seen.add(key);
        fresh.push(m);
      }
    }
    if (fresh.length > 0) {
      const now = new Date();
      const { lastSeq } = await tx.room.update({
        where: { id: roomId },
        data: { lastSeq: { increment: fresh.length }, lastMessageAt: now, activityAt: now },
        select: { lastSeq: true },
      });
      const first = lastSeq - fresh.length + 1;
      const rows = fresh.map((m, i) => ({
        id: randomUUID(),
        roomId,
        seq: first + i,
        authorId: m.author.id,
        body: m.body,
        clientMsgId: m.clientMsgId,
        createdAt: now,
      }));
      await tx.message.createMany({ data: rows });
      rows.forEach((row, i) => {
        const message = toWireMessage({ ...row, author: fresh[i].author });
        stored.set(dedupeKey(row.authorId, row.clientMsgId), { message, created: true });
      });
    }
    // A repeat within this batch is answered with the copy stored for its first occurrence.
    const answered = new Set<string>();
    return batch.map((m) => {
      const key = dedupeKey(m.author.id, m.clientMsgId);
      const result = stored.get(key) as Stored;
      const first = !answered.has(key);
      answered.add(key);
      return first ? result : { message: result.message, created: false };
    });
  });
}
