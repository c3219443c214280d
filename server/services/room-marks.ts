// What each member keeps of a room: how far they have read, how many unread messages call for
// them, and their own settings of it. Split from RoomService (rooms.ts), which builds its
// summaries on these.
import type { Db } from "../db.ts";
import type { NotifyLevel, PublicUser, ReadMark, RoomSettings } from "../protocol/index.ts";
import { AppError } from "./errors.ts";
import type { HotReads } from "./message-store/index.ts";
import { movedMark } from "./read-mark.ts";
import { MEMBERS_ONLY, NO_SUCH_ROOM } from "./room-words.ts";

/** A member's read mark, settings and role, as their membership keeps them. */
export type Mark = { lastReadSeq: number; notify: string; role: string };

export class RoomMarks {
  constructor(
    private readonly db: Db,
    private readonly hot: HotReads,
  ) {}

  /** How many unread messages mention `userId` in each of their rooms (or of `roomIds`): HotReads.mentionCounts. */
  async mentionCounts(userId: string | undefined, roomIds?: string[]): Promise<Map<string, number>> {
    if (!userId || roomIds?.length === 0) return new Map();
    return this.hot.mentionCounts(userId, roomIds);
  }

  /** `user`'s read marks and settings in these rooms (rooms they are not a member of are missing). */
  async of(user: PublicUser | undefined, roomIds: string[]): Promise<Map<string, Mark>> {
    if (!user || roomIds.length === 0) return new Map();
    const rows = await this.db.membership.findMany({
      where: { userId: user.id, roomId: { in: roomIds } },
      select: { roomId: true, lastReadSeq: true, notify: true, role: true },
    });
    return new Map(rows.map((r) => [r.roomId, r]));
  }

  /**
   * `user`'s settings of a room they are a member of, changed first by `change` if given
   * (callers check membership and validate the values).
   */
  async settings(user: PublicUser, roomId: string, change?: Partial<RoomSettings>): Promise<RoomSettings> {
    const where = { roomId_userId: { roomId, userId: user.id } };
    const row = change
      ? await this.db.membership.update({ where, data: change, select: { notify: true } })
      : await this.db.membership.findUnique({ where, select: { notify: true } });
    if (!row) throw new AppError("forbidden", MEMBERS_ONLY);
    return { notify: row.notify as NotifyLevel };
  }

  /**
   * Moves `user`'s read mark forward to `seq` (never back, never past the last message); or,
   * with `back` (mark as unread), to just before `seq`. Answers where it is and what is unread.
   */
  async markRead(user: PublicUser, roomId: string, seq: number, back = false): Promise<ReadMark> {
    const where = { roomId_userId: { roomId, userId: user.id } };
    const [room, member] = await Promise.all([
      this.db.room.findUnique({ where: { id: roomId }, select: { lastSeq: true } }),
      this.db.membership.findUnique({ where, select: { lastReadSeq: true } }),
    ]);
    if (!room) throw new AppError("not_found", NO_SUCH_ROOM);
    if (!member) throw new AppError("forbidden", MEMBERS_ONLY);
    const lastReadSeq = movedMark(member.lastReadSeq, seq, room.lastSeq, back);
    if (lastReadSeq !== member.lastReadSeq) await this.db.membership.update({ where, data: { lastReadSeq } });
    const unread = room.lastSeq - lastReadSeq;
    const mentions = unread === 0 ? 0 : ((await this.mentionCounts(user.id, [roomId])).get(roomId) ?? 0);
    return { lastReadSeq, unread, mentions };
  }

  /** The rooms of `userId` with messages they have not read (and the muted ones), and how many each. */
  async unreadOf(
    userId: string,
  ): Promise<{ roomId: string; lastSeq: number; unread: number; mentions: number; notify: NotifyLevel }[]> {
    const [rows, mentions] = await Promise.all([
      this.db.membership.findMany({
        where: { userId },
        select: { roomId: true, lastReadSeq: true, notify: true, room: { select: { lastSeq: true } } },
      }),
      this.mentionCounts(userId),
    ]);
    return (
      rows
        .map((r) => ({
          roomId: r.roomId,
          lastSeq: r.room.lastSeq,
          unread: r.room.lastSeq - r.lastReadSeq,
          mentions: mentions.get(r.roomId) ?? 0,
          notify: r.notify as NotifyLevel,
        }))
        // muted rooms too, read or not: a client counting new messages live must know to leave them out
        .filter((r) => r.unread > 0 || r.notify === "nothing")
    );
  }
}
