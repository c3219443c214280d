// How people get into a room they could not join by themselves: an invitation by name, which
// they accept or decline, and invite links, which anyone who has one may use while it lasts.
import type { Db } from "../db.ts";
import type { InvitedRoom, InviteLink, PublicUser, RoomInvitation, Visibility } from "../protocol/index.ts";
import { AppError } from "./errors.ts";
import { expiryOf, newToken, stillWorks } from "./invitation-rules.ts";
import type { ModerationService } from "./moderation.ts";
import { keysOf } from "./name-keys.ts";

const invitedRoomSelect = {
  id: true,
  name: true,
  topic: true,
  visibility: true,
  _count: { select: { memberships: true } },
} as const;

type InvitedRoomRow = { id: string; name: string; topic: string | null; visibility: string; _count: { memberships: number } };

const invitedRoom = (row: InvitedRoomRow): InvitedRoom => ({
  id: row.id,
  name: row.name,
  topic: row.topic,
  visibility: row.visibility as Visibility,
  memberCount: row._count.memberships,
});

/** A link that cannot be used (any more): the same words whatever the reason, as for one never made. */
const LINK_UNUSABLE = "This invite link has expired, was used up or revoked. Ask for a new one.";

type LinkRow = {
  token: string;
  createdById: string;
  createdAt: Date;
  expiresAt: Date | null;
  maxUses: number | null;
  uses: number;
};

export class InvitationService {
  constructor(
    private readonly db: Db,
    private readonly moderation: ModerationService,
    /** the server's address as people reach it (PUBLIC_URL): what links point at */
    private readonly publicUrl: string,
  ) {}

  /** Invites someone by name (as the room's owner or an admin); answers the invitation and whom it is for. */
  async invite(actor: PublicUser, roomId: string, username: string): Promise<{ invitation: RoomInvitation; userId: string }> {
    await this.moderation.require(actor, roomId, "invite");
    const user = await this.db.user.findFirst({
      where: { usernameKey: { in: keysOf(username) }, deactivatedAt: null },
      select: { id: true, username: true },
    });
    if (!user) throw new AppError("not_found", `No user named "${username}".`);
    const key = { roomId_userId: { roomId, userId: user.id } };
    const [member, banned] = await Promise.all([
      this.db.membership.findUnique({ where: key, select: { userId: true } }),
      this.db.roomBan.findUnique({ where: key, select: { userId: true } }),
    ]);
    if (member) throw new AppError("conflict", `${user.username} is a member already.`);
    if (banned) throw new AppError("forbidden", `${user.username} is banned from this room: lift the ban first.`);
    const row = await this.db.roomInvitation.upsert({
      where: key,
      create: { roomId, userId: user.id, invitedById: actor.id },
      update: { invitedById: actor.id, createdAt: new Date() },
      select: { createdAt: true, room: { select: invitedRoomSelect } },
    });
    return {
      invitation: { room: invitedRoom(row.room), invitedBy: actor, createdAt: row.createdAt.toISOString() },
      userId: user.id,
    };
  }

  /** `user`'s invitations waiting for an answer, newest first. */
  async pending(user: PublicUser): Promise<RoomInvitation[]> {
    const rows = await this.db.roomInvitation.findMany({
      where: { userId: user.id },
      orderBy: { createdAt: "desc" },
      select: { createdAt: true, invitedById: true, room: { select: invitedRoomSelect } },
    });
    const inviters = await this.db.user.findMany({
      where: { id: { in: [...new Set(rows.map((r) => r.invitedById))] } },
      select: { id: true, username: true },
    });
    const byId = new Map(inviters.map((u) => [u.id, u]));
    return rows.map((r) => ({
      room: invitedRoom(r.room),
      invitedBy: byId.get(r.invitedById) ?? { id: r.invitedById, username: "?" },
      createdAt: r.createdAt.toISOString(),
    }));
  }

  /** Declines `user`'s invitation to a room (not_found when there is none). */
  async decline(user: PublicUser, roomId: string): Promise<void> {
    const { count } = await this.db.roomInvitation.deleteMany({ where: { roomId, userId: user.id } });
    if (count === 0) throw new AppError("not_found", "No such invitation.");
  }

  /** Throws not_found unless `user` has an invitation to the room (accepting one that is not there). */
  async assertInvited(user: PublicUser, roomId: string): Promise<void> {
    const row = await this.db.roomInvitation.findUnique({ where: { roomId_userId: { roomId, userId: user.id } } });
    if (!row) throw new AppError("not_found", "No such invitation.");
  }

  private async wireLinks(rows: LinkRow[]): Promise<InviteLink[]> {
    const makers = await this.db.user.findMany({
      where: { id: { in: [...new Set(rows.map((r) => r.createdById))] } },
      select: { id: true, username: true },
    });
    const byId = new Map(makers.map((u) => [u.id, u]));
    return rows.map((r) => ({
      token: r.token,
      url: `${this.publicUrl.replace(/\/$/, "")}/invite/${r.token}`,
      createdBy: byId.get(r.createdById) ?? { id: r.createdById, username: "?" },
      createdAt: r.createdAt.toISOString(),
      expiresAt: r.expiresAt?.toISOString() ?? null,
      maxUses: r.maxUses,
      uses: r.uses,
    }));
  }

  /** Makes an invite link (as the room's owner or an admin), good for `expiresInHours` and `maxUses` when given. */
  async createLink(
    actor: PublicUser,
    roomId: string,
    options: { expiresInHours?: number; maxUses?: number },
  ): Promise<InviteLink> {
    await this.moderation.require(actor, roomId, "invite");
    const row = await this.db.roomInviteLink.create({
      data: {
        token: newToken(),
        roomId,
        createdById: actor.id,
        expiresAt: expiryOf(options.expiresInHours),
        maxUses: options.maxUses ?? null,
      },
    });
    const [link] = await this.wireLinks([row]);
    return link;
  }

  /** The room's links that still work, newest first (as its owner or an admin). */
  async links(actor: PublicUser, roomId: string): Promise<InviteLink[]> {
    await this.moderation.require(actor, roomId, "invite");
    const rows = await this.db.roomInviteLink.findMany({
      where: { roomId, ...stillWorks(this.db.roomInviteLink.fields.maxUses) },
      orderBy: { createdAt: "desc" },
    });
    return this.wireLinks(rows);
  }

  /** Revokes a link: whoever opens it from now on is refused. */
  async revokeLink(actor: PublicUser, roomId: string, token: string): Promise<void> {
    await this.moderation.require(actor, roomId, "invite");
    const { count } = await this.db.roomInviteLink.updateMany({
      where: { token, roomId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count === 0) throw new AppError("not_found", "No such invite link.");
  }

  /** The room a link that still works leads to (forbidden otherwise, in the same words whatever the reason). */
  async roomOf(token: string): Promise<string> {
    const link = this.db.roomInviteLink;
    const row = await link.findFirst({ where: { token, ...stillWorks(link.fields.maxUses) }, select: { roomId: true } });
    if (!row) throw new AppError("forbidden", LINK_UNUSABLE);
    return row.roomId;
  }

  /**
   * Counts one use of a link, if it still works at this moment: two people racing for the last
   * use of a link cannot both have it (a conditional update; forbidden for the one who lost).
   */
  async use(token: string): Promise<void> {
    const link = this.db.roomInviteLink;
    const { count } = await link.updateMany({
      where: { token, ...stillWorks(link.fields.maxUses) },
      data: { uses: { increment: 1 } },
    });
    if (count === 0) throw new AppError("forbidden", LINK_UNUSABLE);
  }
}
