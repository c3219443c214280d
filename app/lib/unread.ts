import type { RoomSummary } from "@/server/protocol";
import { type Mentions, mentionsUser } from "@/server/protocol/mentions";

/**
 * A room as a new message leaves it: active now, and for a member one more unread (and one more
 * mention, when it calls for them), unless they wrote it (then everything up to it is read). The
 * lobby and the sidebar keep their lists so. A message the summary has already (at or below its
 * `lastSeq`) changes nothing.
 */
export function afterMessage(
  room: RoomSummary,
  message: { seq: number; createdAt: string; author: { id: string }; mentions?: Mentions },
  me: string,
): RoomSummary {
  if (message.seq <= room.lastSeq) return room;
  const moved = { ...room, lastMessageAt: message.createdAt, lastSeq: message.seq };
  if (room.unread === undefined) return moved;
  if (message.author.id === me) return { ...moved, unread: 0, mentions: 0, lastReadSeq: message.seq };
  const mentions = (room.mentions ?? 0) + (mentionsUser(message.mentions, me) ? 1 : 0);
  return { ...moved, unread: room.unread + 1, mentions };
}

/** The list with one room changed by `change` (a room not listed is left alone; no list stays none). */
export function changeRoom(list: RoomSummary[], roomId: string, change: (room: RoomSummary) => RoomSummary): RoomSummary[];
export function changeRoom(
  list: RoomSummary[] | null,
  roomId: string,
  change: (room: RoomSummary) => RoomSummary,
): RoomSummary[] | null;
export function changeRoom(list: RoomSummary[] | null, roomId: string, change: (room: RoomSummary) => RoomSummary) {
  return list?.map((r) => (r.id === roomId ? change(r) : r)) ?? null;
}
