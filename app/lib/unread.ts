import type { ReadMark, RoomSummary } from "@/server/protocol";
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

/**
 * Unread after a read mark (`room:read`, `dm:read`: set in any tab, or moved back by "mark as
 * unread"), counted from the list's own newest seq: when the event crossed a request for the list,
 * the answer may hold messages that came after the mark was set, and their `message:new` changes
 * nothing on it again (it is there already), so the event's own count would leave them out.
 */
export function unreadAfter(lastSeq: number, mark: ReadMark): number {
  return Math.max(mark.unread, lastSeq - mark.lastReadSeq);
}

/**
 * A room as a read mark leaves it: unread as `unreadAfter` counts it; mentions are the event's,
 * unless the summary has this mark already and newer messages: then its own count has theirs too.
 */
export function afterRead(room: RoomSummary, mark: ReadMark): RoomSummary {
  const newer = room.lastSeq > mark.lastReadSeq + mark.unread;
  const kept = newer && room.lastReadSeq === mark.lastReadSeq;
  return {
    ...room,
    lastReadSeq: mark.lastReadSeq,
    unread: unreadAfter(room.lastSeq, mark),
    mentions: kept ? Math.max(mark.mentions, room.mentions ?? 0) : mark.mentions,
  };
}
