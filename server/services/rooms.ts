import { randomUUID } from "node:crypto";
import { likeEscape } from "../db/like.ts";
import type { Db } from "../db.ts";
import { Prisma } from "../generated/sqlite/client.ts";
import {
  type AroundPage,
  hasPower,
  MAX_PINS_PER_ROOM,
  type NotifyLevel,
  type Page,
  type PageCursor,
  type Profile,
  type PublicUser,
  type ReadMark,
  type RoomDetail,
  type RoomRole,
  type RoomSettings,
  type RoomSummary,
  type SyncPage,
  type Visibility,
  type WireMessage,
} from "../protocol/index.ts";
import { AppError, isForeignKeyViolation, isUniqueViolation } from "./errors.ts";
import { around, type HotReads, type MessageStore, type RoomColumns, type RoomMemberRow } from "./message-store/index.ts";
import { nameKeyOf } from "./name-keys.ts";
import { profileSelect, toProfile } from "./profiles.ts";
import { type Mark, RoomMarks } from "./room-marks.ts";
import { MEMBERS_ONLY, NO_ENTRY, NO_SUCH_ROOM } from "./room-words.ts";

/** Who is online, as the rooms service needs to know it (server/realtime/presence.ts). */
export interface OnlineView {
  isOnline(userId: string): boolean;
  onlineCount(roomId: string): number;
}

const roomSelect = {
  id: true,
  name: true,
  topic: true,
  lastSeq: true,
  lastMessageAt: true,
  createdAt: true,
  createdById: true,
  visibility: true,
  archivedAt: true,
  _count: { select: { memberships: true } },
} as const;

type RoomRow = RoomColumns & { _count: { memberships: number } };

export class RoomService {
  private readonly db: Db;
  private readonly online: OnlineView;
  private readonly messages: MessageStore;
  private readonly hot: HotReads;

  /** read marks, mention counts and each member's settings of their rooms */
  readonly reads: RoomMarks;

  constructor(db: Db, online: OnlineView, messages: MessageStore, hot: HotReads) {
    this.db = db;
    this.online = online;
    this.messages = messages;
    this.hot = hot;
    this.reads = new RoomMarks(db, hot);
  }

  /**
   * A room as a client sees it; with `lastReadSeq` (the reader is a member), what they have not
   * read, and how many of those mention them.
   */
  private summary(row: RoomRow, mark?: Mark, mentions = 0): RoomSummary {
    const lastReadSeq = mark?.lastReadSeq;
    return {
      id: row.id,
      name: row.name,
      topic: row.topic,
      memberCount: row._count.memberships,
      onlineCount: this.online.onlineCount(row.id),
      lastMessageAt: row.lastMessageAt?.toISOString() ?? null,
      lastSeq: row.lastSeq,
      createdAt: row.createdAt.toISOString(),
      createdBy: row.createdById,
      visibility: row.visibility as Visibility,
      archived: row.archivedAt !== null,
      ...(lastReadSeq === undefined
        ? {}
        : {
            lastReadSeq,
            unread: Math.max(0, row.lastSeq - lastReadSeq),
            mentions,
            notify: (mark?.notify ?? "mentions") as NotifyLevel,
            role: (mark?.role ?? "member") as RoomRole,
          }),
    };
  }

  /**
   * Rooms `reader` may see (every public one, and the private ones they are a member of), newest
   * activity first, `limit` at a time after the room `before`; with `query`, only those whose
   * name contains it, ignoring case and look-alike characters (as names are compared).
   * `beforeCounts` is given the page's ids before their counts are read: what starts following
   * them then misses no change the page does not hold.
   */
  async list(
    options: { query?: string; before?: string; limit: number },
    reader: PublicUser,
    beforeCounts?: (ids: string[]) => void,
  ): Promise<{ rooms: RoomSummary[]; hasMore: boolean }> {
    const { query, before, limit } = options;
    const where = [
      Prisma.sql`(r.visibility = 'public' OR EXISTS (SELECT 1 FROM "Membership" v WHERE v."roomId" = r.id AND v."userId" = ${reader.id}))`,
    ];
    if (query) where.push(Prisma.sql`r."nameKey" LIKE ${`%${likeEscape(nameKeyOf(query))}%`} ESCAPE '\\'`);
    if (before !== undefined) {
      const at = Prisma.sql`(SELECT b."activityAt" FROM "Room" b WHERE b.id = ${before})`;
      where.push(Prisma.sql`(r."activityAt" < ${at} OR (r."activityAt" = ${at} AND r.id > ${before}))`);
    }
    const ids = (
      await this.db.$queryRaw<{ id: string }[]>(
        Prisma.sql`SELECT r.id FROM "Room" r WHERE ${Prisma.join(where, " AND ")} ORDER BY r."activityAt" DESC, r.id ASC LIMIT ${limit + 1}`,
      )
    ).map((r) => r.id);
    beforeCounts?.(ids.slice(0, limit));
    const [rows, marks, mentions] = await Promise.all([
      this.db.room.findMany({ where: { id: { in: ids.slice(0, limit) } }, select: roomSelect }),
      this.reads.of(reader, ids.slice(0, limit)),
      this.reads.mentionCounts(reader?.id, ids.slice(0, limit)),
    ]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return {
      rooms: ids.slice(0, limit).flatMap((id) => {
        const row = byId.get(id);
        return row ? [this.summary(row, marks.get(id), mentions.get(id))] : [];
      }),
      hasMore: ids.length > limit,
    };
  }

  /** A room's name, or null when there is no such room (or, with `readerId`, none they may see). */
  async nameOf(roomId: string, readerId?: string): Promise<string | null> {
    const row = await this.db.room.findUnique({
      where: { id: roomId },
      select: { name: true, visibility: true, memberships: { where: { userId: readerId ?? "" }, select: { userId: true } } },
    });
    if (!row || (readerId !== undefined && row.visibility === "private" && row.memberships.length === 0)) return null;
    return row.name;
  }

  /** The rooms `user` is a member of, newest activity first, each with what they have not read. */
  async mine(user: PublicUser): Promise<RoomSummary[]> {
    const [rows, mentions] = await Promise.all([
      this.db.membership.findMany({
        where: { userId: user.id },
        select: { lastReadSeq: true, notify: true, role: true, room: { select: { ...roomSelect, activityAt: true } } },
        orderBy: { room: { activityAt: "desc" } },
      }),
      this.reads.mentionCounts(user.id),
    ]);
    return rows.map((m) => this.summary(m.room, m, mentions.get(m.room.id)));
  }

  /** One room's summary (not_found when there is none, or it is private and `reader` not in it). */
  async get(roomId: string, reader: PublicUser): Promise<RoomSummary> {
    const [row, marks, mentions] = await Promise.all([
      this.db.room.findUnique({ where: { id: roomId }, select: roomSelect }),
      this.reads.of(reader, [roomId]),
      this.reads.mentionCounts(reader.id, [roomId]),
    ]);
    const mark = marks.get(roomId);
    if (!row || (row.visibility === "private" && !mark)) throw new AppError("not_found", NO_SUCH_ROOM);
    return this.summary(row, mark, mentions.get(roomId));
  }

  /** A room as everyone who may see it sees it (for room:updated); not_found when there is none. */
  async publicSummary(roomId: string): Promise<RoomSummary> {
    const row = await this.db.room.findUnique({ where: { id: roomId }, select: roomSelect });
    if (!row) throw new AppError("not_found", NO_SUCH_ROOM);
    return this.summary(row);
  }

  /** Creates a room; its creator becomes its first member and its owner. */
  async create(
    user: PublicUser,
    name: string,
    topic: string | undefined,
    visibility: Visibility = "public",
  ): Promise<RoomSummary> {
    const now = new Date();
    try {
      const row = await this.db.room.create({
        data: {
          id: randomUUID(),
          name,
          nameKey: nameKeyOf(name),
          topic: topic ? topic : null,
          createdById: user.id,
          createdAt: now,
          activityAt: now,
          visibility,
          memberships: { create: { userId: user.id, joinedAt: now, role: "owner" } },
        },
        select: roomSelect,
      });
      return this.summary(row, { lastReadSeq: 0, notify: "mentions", role: "owner" });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("conflict", `A room named "${name}" already exists.`);
      throw error;
    }
  }

  /**
   * Makes `user` a member (idempotent); `joined` says whether they were not one before. A public
   * room lets anyone in; a private one whoever was invited by name, or whom `admit` lets in (an
   * invite link: it runs, and may refuse, once nothing else does). Nobody banned gets in. Whoever
   * joins a room without an owner (its last member left) becomes its owner. An invitation is used
   * up by joining.
   */
  async join(
    user: PublicUser,
    roomId: string,
    admit?: () => Promise<void>,
  ): Promise<{ joined: boolean; member?: Profile & { role: RoomRole } }> {
    const existing = await this.db.membership.findUnique({ where: { roomId_userId: { roomId, userId: user.id } } });
    if (existing) return { joined: false };
    const key = { roomId_userId: { roomId, userId: user.id } };
    const [room, banned, invited] = await Promise.all([
      this.db.room.findUnique({
        where: { id: roomId },
        select: { lastSeq: true, visibility: true, memberships: { where: { role: "owner" }, select: { userId: true } } },
      }),
      this.db.roomBan.findUnique({ where: key, select: { userId: true } }),
      this.db.roomInvitation.findUnique({ where: key, select: { userId: true } }),
    ]);
    if (!room || (room.visibility === "private" && !invited && !admit && !banned)) throw new AppError("forbidden", NO_ENTRY);
    if (banned)
      throw new AppError("forbidden", "You were banned from this room: only its owner or an admin can let you back in.");
    await admit?.();
    try {
      // a newcomer starts with the room read: its history is there to scroll, not to catch up on
      const role = room.memberships.length === 0 ? "owner" : "member";
      const [created] = await this.db.$transaction([
        this.db.membership.create({
          data: { roomId, userId: user.id, lastReadSeq: room.lastSeq, role },
          select: { user: { select: profileSelect } },
        }),
        this.db.roomInvitation.deleteMany({ where: { roomId, userId: user.id } }),
      ]);
      return { joined: true, member: { ...toProfile(created.user), role } };
    } catch (error) {
      // a second tab joined at the same moment
      if (isUniqueViolation(error)) return { joined: false };
      if (isForeignKeyViolation(error)) throw new AppError("forbidden", NO_ENTRY);
      throw error;
    }
  }

  /** The room with its members (and the reader's read mark), in one query. */
  async detail(roomId: string, reader: PublicUser): Promise<RoomDetail> {
    const rows = await this.hot.roomWithMembers(roomId);
    const [first] = rows;
    const memberRows = rows.filter((r): r is RoomMemberRow & { userId: string; username: string } => r.userId !== null);
    const mark = memberRows.find((m) => m.userId === reader.id) as Mark | undefined;
    if (!first || (first.visibility === "private" && !mark)) throw new AppError("not_found", NO_SUCH_ROOM);
    const members = memberRows
      .map((m) => ({
        ...toProfile({ ...m, id: m.userId }),
        online: this.online.isOnline(m.userId),
        role: m.role as RoomRole,
      }))
      .sort((a, b) => a.username.localeCompare(b.username, undefined, { sensitivity: "base" }));
    // nothing unread, no mention to count
    const mentions =
      mark === undefined || first.lastSeq <= mark.lastReadSeq
        ? 0
        : ((await this.reads.mentionCounts(reader.id, [roomId])).get(roomId) ?? 0);
    return { ...this.summary({ ...first, _count: { memberships: memberRows.length } }, mark, mentions), members };
  }

  /**
   * Deletes a room with everything in it (messages, their versions, memberships, invitations, the
   * files' rows): by its owner, by a server admin, or by anyone once it has no members (nobody
   * loses it). Answers the files whose bytes are to go once this is committed, and who were its
   * members and pending invitees (to be told).
   */
  async remove(
    user: PublicUser,
    roomId: string,
    serverAdmin: boolean,
  ): Promise<{ files: { id: string; thumbnail: boolean }[]; members: string[]; invited: string[]; visibility: Visibility }> {
    return this.db.$transaction(async (tx) => {
      const room = await tx.room.findUnique({
        where: { id: roomId },
        select: {
          visibility: true,
          memberships: { select: { userId: true, role: true } },
          invitations: { select: { userId: true } },
        },
      });
      const mine = room?.memberships.find((m) => m.userId === user.id);
      if (!room || (room.visibility === "private" && !mine && !serverAdmin)) throw new AppError("not_found", NO_SUCH_ROOM);
      const mayDelete = room.memberships.length === 0 || hasPower(mine?.role as RoomRole | undefined, "delete") || serverAdmin;
      if (!mayDelete) throw new AppError("forbidden", "Only the room's owner (or a server admin) can delete it.");
      const files = await tx.file.findMany({ where: { roomId, removedAt: null }, select: { id: true, thumbWidth: true } });
      await tx.room.delete({ where: { id: roomId } });
      return {
        files: files.map((f) => ({ id: f.id, thumbnail: f.thumbWidth !== null })),
        members: room.memberships.map((m) => m.userId),
        invited: room.invitations.map((i) => i.userId),
        visibility: room.visibility as Visibility,
      };
    });
  }

  /**
   * Ends `user`'s membership; `left` says whether they were a member. An owner who leaves hands
   * the room to the admin who joined first, else the member who did (`heir`), so a room with
   * members always has an owner.
   */
  async leave(user: PublicUser, roomId: string): Promise<{ left: boolean; heir?: Profile & { role: RoomRole } }> {
    return this.db.$transaction(async (tx) => {
      const mine = await tx.membership.findUnique({
        where: { roomId_userId: { roomId, userId: user.id } },
        select: { role: true },
      });
      if (!mine) return { left: false };
      await tx.membership.delete({ where: { roomId_userId: { roomId, userId: user.id } } });
      if (mine.role !== "owner") return { left: true };
      const next = await tx.membership.findFirst({
        where: { roomId },
        // "admin" sorts before "member"
        orderBy: [{ role: "asc" }, { joinedAt: "asc" }, { userId: "asc" }],
        select: { userId: true, user: { select: profileSelect } },
      });
      if (!next) return { left: true };
      await tx.membership.update({ where: { roomId_userId: { roomId, userId: next.userId } }, data: { role: "owner" } });
      return { left: true, heir: { ...toProfile(next.user), role: "owner" as const } };
    });
  }

  /** `user`'s settings of a room (RoomMarks.settings). */
  settings(user: PublicUser, roomId: string, change?: Partial<RoomSettings>): Promise<RoomSettings> {
    return this.reads.settings(user, roomId, change);
  }

  /** Moves `user`'s read mark (RoomMarks.markRead). */
  markRead(user: PublicUser, roomId: string, seq: number, back = false): Promise<ReadMark> {
    return this.reads.markRead(user, roomId, seq, back);
  }

  /** The rooms of `userId` with unread messages (RoomMarks.unreadOf). */
  unreadOf(userId: string) {
    return this.reads.unreadOf(userId);
  }

  /** The rooms and the private conversations `userId` takes part in (what a new connection joins). */
  channelsOf(userId: string): Promise<{ roomIds: string[]; conversationIds: string[] }> {
    return this.hot.channelsOf(userId);
  }

  /** A member with their role (not_found when they are not one). */
  async memberOf(roomId: string, userId: string): Promise<Profile & { role: RoomRole }> {
    const row = await this.db.membership.findUnique({
      where: { roomId_userId: { roomId, userId } },
      select: { role: true, user: { select: profileSelect } },
    });
    if (!row) throw new AppError("not_found", "They are not a member of this room.");
    return { ...toProfile(row.user), role: row.role as RoomRole };
  }

  /** Who can read the room now: its members, for finding whom a message mentions. */
  async readers(roomId: string): Promise<PublicUser[]> {
    const rows = await this.db.membership.findMany({
      where: { roomId },
      select: { user: { select: { id: true, username: true } } },
    });
    return rows.map((r) => r.user);
  }

  /** How many members the room has now (what `room:member-joined` and `room:member-left` carry). */
  memberCount(roomId: string): Promise<number> {
    return this.db.membership.count({ where: { roomId } });
  }

  /**
   * Throws forbidden unless `user` is a member of `roomId` (not_found when there is no such room,
   * or it is private: a non-member learns nothing of it).
   */
  async assertMember(user: PublicUser, roomId: string): Promise<void> {
    const membership = await this.db.membership.findUnique({ where: { roomId_userId: { roomId, userId: user.id } } });
    if (membership) return;
    const room = await this.db.room.findUnique({ where: { id: roomId }, select: { visibility: true } });
    if (!room || room.visibility === "private") throw new AppError("not_found", NO_SUCH_ROOM);
    throw new AppError("forbidden", MEMBERS_ONLY);
  }

  /**
   * A page of the room's messages (MessageStore.page). Callers check membership first: the
   * realtime layer does it from the socket's channels, without a query (server/realtime/membership.ts).
   */
  history(roomId: string, cursor: PageCursor, limit: number): Promise<Page> {
    return this.messages.page(roomId, cursor, limit);
  }

  /** The room's pinned messages, the latest pinned first; callers check membership first. */
  async pins(roomId: string): Promise<WireMessage[]> {
    const rows = await this.db.message.findMany({
      where: { roomId, pinnedAt: { not: null }, deletedAt: null },
      orderBy: { pinnedAt: "desc" },
      select: { id: true },
      take: MAX_PINS_PER_ROOM,
    });
    const byId = new Map((await this.messages.byIds(rows.map((r) => r.id))).map((m) => [m.id, m]));
    return rows.flatMap((r) => byId.get(r.id) ?? []);
  }

  /** Throws conflict when the room has as many pins as it may have. */
  async assertPinRoom(roomId: string): Promise<void> {
    const pinned = await this.db.message.count({ where: { roomId, pinnedAt: { not: null }, deletedAt: null } });
    if (pinned >= MAX_PINS_PER_ROOM) {
      throw new AppError("conflict", `A room can have at most ${MAX_PINS_PER_ROOM} pinned messages: unpin one first.`);
    }
  }

  /** Messages around `seq` (a search result, a link to a message); callers check membership first. */
  around(roomId: string, seq: number, limit: number): Promise<AroundPage> {
    return around(this.messages, roomId, seq, limit);
  }

  /** The room's change feed after `afterRev` (MessageStore.sync); callers check membership first. */
  sync(roomId: string, afterRev: number, limit: number): Promise<SyncPage> {
    return this.messages.sync(roomId, afterRev, limit);
  }
}
