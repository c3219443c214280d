import type { RoomSummary } from "@/server/protocol";

/**
 * A room as a new message leaves it: active now, and for a member one more unread, unless they
 * wrote it (then everything up to it is read). The lobby and the sidebar keep their lists so.
 */
export function afterMessage(
  room: RoomSummary,
  message: { seq: number; createdAt: string; author: { id: string } },
  me: string,
): RoomSummary {
  const moved = { ...room, lastMessageAt: message.createdAt };
  if (room.unread === undefined) return moved;
  return message.author.id === me ? { ...moved, unread: 0, lastReadSeq: message.seq } : { ...moved, unread: room.unread + 1 };
}
