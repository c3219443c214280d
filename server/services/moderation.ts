// What a room's owner and admins do to the room and its people: change it, archive it, remove
// and ban members, hand out roles. Every rule of who may do what is server/protocol/roles.ts;
// this is where it is enforced, against the roles as stored (docs/protocol.md, "Roles").
import type { Db } from "../db.ts";
import {
  hasPower,
  outranks,
  type Profile,
  type PublicUser,
  type RoomBanEntry,
  type RoomPower,
  type RoomRole,
  type Visibility,
} from "../protocol/index.ts";
import { AppError, isUniqueViolation } from "./errors.ts";
import { nameKeyOf } from "./name-keys.ts";
import { profileSelect, toProfile } from "./profiles.ts";
import { NO_SUCH_ROOM } from "./room-words.ts";

const POWER_WORDS: Record<RoomPower, string> = {
  invite: "invite people",
  remove: "remove or ban people",
  update: "change the room",
  pin: "pin messages",
  moderate: "delete other people's messages",
  "set-role": "change roles",
  delete: "delete the room",
  webhooks: "manage webhooks",
};

/** A change to a room's settings (room:update). */
export interface RoomChange {
  name?: string;
  topic?: string;
  visibility?: Visibility;
  archived?: boolean;
}

/** Whom a room is visible to before and after a change: who must hear of it. */
export interface Updated {
  before: Visibility;
  after: Visibility;
}

export class ModerationService {
  constructor(private readonly db: Db) {}

  /** `userId`'s role in the room, or undefined when they are not a member. */
  async roleOf(userId: string, roomId: string): Promise<RoomRole | undefined> {
    const row = await this.db.membership.findUnique({
      where: { roomId_userId: { roomId, userId } },
      select: { role: true },
    });
    return row?.role as RoomRole | undefined;
  }

  /**
   * `user`'s role in the room, when it has `power` there. Else forbidden; or not_found, to a
   * non-member of a private room (and when there is no room), who must learn nothing of it.
   */
  async require(
    user: PublicUser,
    roomId: string,
    power: RoomPower,
  ): Promise<{ role: RoomRole; archived: boolean; visibility: Visibility }> {
    const room = await this.db.room.findUnique({
      where: { id: roomId },
      select: { visibility: true, archivedAt: true, memberships: { where: { userId: user.id }, select: { role: true } } },
    });
    const role = room?.memberships[0]?.role as RoomRole | undefined;
    if (!room || (room.visibility === "private" && role === undefined)) throw new AppError("not_found", NO_SUCH_ROOM);
    if (!role || !hasPower(role, power)) {
      const who = power === "set-role" || power === "delete" ? "its owner" : "its owner and admins";
      throw new AppError("forbidden", `Only ${who} can ${POWER_WORDS[power]} in this room.`);
    }
    return { role, archived: room.archivedAt !== null, visibility: room.visibility as Visibility };
  }

  /** A room's visibility and archived state (not_found when there is none): for a server admin, who need not be in it. */
  private async state(roomId: string): Promise<{ archived: boolean; visibility: Visibility }> {
    const room = await this.db.room.findUnique({ where: { id: roomId }, select: { visibility: true, archivedAt: true } });
    if (!room) throw new AppError("not_found", NO_SUCH_ROOM);
    return { archived: room.archivedAt !== null, visibility: room.visibility as Visibility };
  }

  /**
   * Changes a room's name, topic, visibility or archived state, as its owner or an admin; a
   * server admin may archive and unarchive any room. An archived room changes nothing else until
   * it is unarchived.
   */
  async update(user: PublicUser, roomId: string, change: RoomChange, serverAdmin: boolean): Promise<Updated> {
    const onlyArchiving = change.name === undefined && change.topic === undefined && change.visibility === undefined;
    const room = serverAdmin && onlyArchiving ? await this.state(roomId) : await this.require(user, roomId, "update");
    const archived = change.archived ?? room.archived;
    if (archived && !onlyArchiving) {
      throw new AppError("forbidden", "This room is archived: unarchive it before changing it.");
    }
    const data = {
      ...(change.name === undefined ? {} : { name: change.name, nameKey: nameKeyOf(change.name) }),
      ...(change.topic === undefined ? {} : { topic: change.topic === "" ? null : change.topic }),
      ...(change.visibility === undefined ? {} : { visibility: change.visibility }),
      ...(change.archived === undefined || change.archived === room.archived
        ? {}
        : { archivedAt: change.archived ? new Date() : null }),
    };
    try {
      if (Object.keys(data).length > 0) await this.db.room.update({ where: { id: roomId }, data });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("conflict", `A room named "${change.name}" already exists.`);
      throw error;
    }
    return { before: room.visibility, after: change.visibility ?? room.visibility };
  }

  /**
   * Checks that `actor` may remove (kick or ban) `userId` from the room: they have the power and
   * outrank them (nobody removes themselves: that is leaving). Answers the target's role.
   */
  private async mayRemove(actor: PublicUser, roomId: string, userId: string): Promise<RoomRole | undefined> {
    const { role } = await this.require(actor, roomId, "remove");
    if (userId === actor.id) throw new AppError("invalid_input", "To take yourself out of a room, leave it.");
    const target = await this.roleOf(userId, roomId);
    if (!outranks(role, target)) {
      throw new AppError("forbidden", `Only the room's owner can remove or ban its ${target === "owner" ? "owner" : "admins"}.`);
    }
    return target;
  }

  /** Removes a member (they may join again: a public room by themselves, a private one when invited). */
  async kick(actor: PublicUser, roomId: string, userId: string): Promise<void> {
    const target = await this.mayRemove(actor, roomId, userId);
    if (target === undefined) throw new AppError("not_found", "They are not a member of this room.");
    await this.db.membership.deleteMany({ where: { roomId, userId } });
  }

  /**
   * Bans someone (a member, who is removed, or not: they cannot join until unbanned); their
   * pending invitation goes. `wasMember` says whether they were removed; `wasInvited` whether an
   * invitation of theirs was withdrawn.
   */
  async ban(actor: PublicUser, roomId: string, userId: string): Promise<{ wasMember: boolean; wasInvited: boolean }> {
    const target = await this.mayRemove(actor, roomId, userId);
    const exists = await this.db.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!exists) throw new AppError("not_found", "No such user.");
    const [, , invitations] = await this.db.$transaction([
      this.db.roomBan.upsert({
        where: { roomId_userId: { roomId, userId } },
        create: { roomId, userId, bannedById: actor.id },
        update: {},
      }),
      this.db.membership.deleteMany({ where: { roomId, userId } }),
      this.db.roomInvitation.deleteMany({ where: { roomId, userId } }),
    ]);
    return { wasMember: target !== undefined, wasInvited: invitations.count > 0 };
  }

  /** Lifts a ban (nothing else: they are not a member again until they join). */
  async unban(actor: PublicUser, roomId: string, userId: string): Promise<void> {
    await this.require(actor, roomId, "remove");
    const { count } = await this.db.roomBan.deleteMany({ where: { roomId, userId } });
    if (count === 0) throw new AppError("not_found", "They are not banned from this room.");
  }

  /** Who is banned from the room, newest first. */
  async bans(actor: PublicUser, roomId: string): Promise<RoomBanEntry[]> {
    await this.require(actor, roomId, "remove");
    const rows = await this.db.roomBan.findMany({ where: { roomId }, orderBy: { createdAt: "desc" } });
    const people = await this.db.user.findMany({
      where: { id: { in: [...new Set(rows.flatMap((r) => [r.userId, r.bannedById]))] } },
      select: { id: true, username: true },
    });
    const byId = new Map(people.map((p) => [p.id, p]));
    return rows.flatMap((r) => {
      const user = byId.get(r.userId);
      const bannedBy = byId.get(r.bannedById) ?? { id: r.bannedById, username: "?" };
      return user ? [{ user, bannedBy, createdAt: r.createdAt.toISOString() }] : [];
    });
  }

  /**
   * Sets a member's role, as the room's owner. Making someone owner hands the room over: the old
   * owner stays as an admin. Answers every member whose role changed, with the new one.
   */
  async setRole(actor: PublicUser, roomId: string, userId: string, role: RoomRole): Promise<(Profile & { role: RoomRole })[]> {
    await this.require(actor, roomId, "set-role");
    if (userId === actor.id) {
      throw new AppError("invalid_input", "You own this room: make another member its owner, and you become an admin.");
    }
    const where = (id: string) => ({ roomId_userId: { roomId, userId: id } });
    const target = await this.db.membership.findUnique({
      where: where(userId),
      select: { role: true, user: { select: profileSelect } },
    });
    if (!target) throw new AppError("not_found", "They are not a member of this room.");
    if (target.role === role) return [];
    if (role === "owner") {
      await this.db.$transaction([
        this.db.membership.update({ where: where(actor.id), data: { role: "admin" } }),
        this.db.membership.update({ where: where(userId), data: { role: "owner" } }),
      ]);
      const me = await this.db.user.findUniqueOrThrow({ where: { id: actor.id }, select: profileSelect });
      return [
        { ...toProfile(target.user), role: "owner" },
        { ...toProfile(me), role: "admin" },
      ];
    }
    await this.db.membership.update({ where: where(userId), data: { role } });
    return [{ ...toProfile(target.user), role }];
  }
}
