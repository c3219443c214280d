// Accounts beyond signing in: who may make one (open, by invitation, or nobody: a server
// setting), the room a newcomer joins, server invites, and passwords: changed by their owner or
// set through a one-time link a server admin issues. A new password signs every other session
// out at once (server/services/sessions.ts).
import { createHash } from "node:crypto";
import type { Db } from "../db.ts";
import { type PublicUser, passwordChange, passwordReset, registration, type ServerInviteLink } from "../protocol/index.ts";
import { AppError } from "./errors.ts";
import { expiryOf, newToken, stillWorks } from "./invitation-rules.ts";
import type { InvitationService } from "./invitations.ts";
import type { Notifier } from "./notifier.ts";
import type { RoomService } from "./rooms.ts";
import type { ServerSettingsService } from "./server-settings.ts";
import type { SessionService } from "./sessions.ts";
import type { UserService } from "./users.ts";
import { parse } from "./validation.ts";

/** How long a password reset link works. */
export const RESET_LINK_HOURS = 24;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Who issued a reset link from `npm run admin` (a server admin's id otherwise). */
export const FROM_THE_SHELL = "shell";

/**
 * A one-time link for `userId` to set a new password, issued by a server admin (`issuedBy`, their
 * id) or from the shell. Only its hash is kept; an earlier link of theirs stops working.
 */
export async function issueResetLink(
  db: Db,
  publicUrl: string,
  issuedBy: string,
  userId: string,
): Promise<{ url: string; expiresAt: string }> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true } });
  if (!user) throw new AppError("not_found", "No such user.");
  const token = newToken();
  const expiresAt = new Date(Date.now() + RESET_LINK_HOURS * 3_600_000);
  await db.$transaction([
    db.passwordReset.deleteMany({ where: { userId, usedAt: null } }),
    db.passwordReset.create({ data: { tokenHash: sha256(token), userId, createdById: issuedBy, expiresAt } }),
  ]);
  return { url: `${publicUrl.replace(/\/$/, "")}/reset/${token}`, expiresAt: expiresAt.toISOString() };
}

export class AccountService {
  constructor(
    private readonly db: Db,
    private readonly deps: {
      users: UserService;
      settings: ServerSettingsService;
      sessions: SessionService;
      invitations: InvitationService;
      rooms: RoomService;
      notifier: Pick<Notifier, "toRoom">;
      /** PUBLIC_URL: what links point at */
      publicUrl: string;
    },
  ) {}

  private url(path: string): string {
    return `${this.deps.publicUrl.replace(/\/$/, "")}${path}`;
  }

  /**
   * Makes an account, if the server takes new ones: while registration is invite-only, `invite`
   * must be a server invite (one use of it is counted) or a room's invite link that still works
   * (counted when it is used to join). The newcomer joins the default room, if there is one.
   */
  async register(input: unknown, address: string): Promise<PublicUser> {
    const { invite } = parse(registration, input);
    const { registration: mode, defaultRoomId } = await this.deps.settings.read();
    if (mode === "closed") throw new AppError("forbidden", "This server is not taking new accounts. Ask its admin.");
    let counted = false;
    if (mode === "invite-only") {
      if (!invite) {
        throw new AppError(
          "forbidden",
          "This server takes new accounts by invitation only: open the invite link you were given.",
        );
      }
      counted = await this.countServerInviteUse(invite);
      if (!counted) await this.deps.invitations.roomOf(invite);
    }
    let user: PublicUser;
    try {
      user = await this.deps.users.register(input, address);
    } catch (error) {
      // the name was taken, say: the invitation is not used up by a failed attempt
      if (counted && invite) await this.db.serverInvite.update({ where: { token: invite }, data: { uses: { decrement: 1 } } });
      throw error;
    }
    if (defaultRoomId) await this.joinDefaultRoom(user, defaultRoomId);
    return user;
  }

  private async joinDefaultRoom(user: PublicUser, roomId: string): Promise<void> {
    try {
      // an admin chose it: a private one lets them in too
      const { member } = await this.deps.rooms.join(user, roomId, async () => undefined);
      if (!member) return;
      const memberCount = await this.deps.rooms.memberCount(roomId);
      this.deps.notifier.toRoom(roomId, "room:member-joined", { roomId, member: { ...member, online: false }, memberCount });
    } catch (error) {
      // the room was deleted since: the account stands
      if (!(error instanceof AppError)) throw error;
    }
  }

  /** Counts one use of a server invite that still works; false when `token` is none. */
  private async countServerInviteUse(token: string): Promise<boolean> {
    const invites = this.db.serverInvite;
    const { count } = await invites.updateMany({
      where: { token, ...stillWorks(invites.fields.maxUses) },
      data: { uses: { increment: 1 } },
    });
    return count > 0;
  }

  private wireInvite(row: {
    token: string;
    createdAt: Date;
    expiresAt: Date | null;
    maxUses: number | null;
    uses: number;
  }): ServerInviteLink {
    return {
      token: row.token,
      url: this.url(`/login?invite=${row.token}`),
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt?.toISOString() ?? null,
      maxUses: row.maxUses,
      uses: row.uses,
    };
  }

  /** A server invite (callers check that `actor` is a server admin). */
  async createInvite(actor: PublicUser, options: { expiresInHours?: number; maxUses?: number }): Promise<ServerInviteLink> {
    const row = await this.db.serverInvite.create({
      data: {
        token: newToken(),
        createdById: actor.id,
        expiresAt: expiryOf(options.expiresInHours),
        maxUses: options.maxUses ?? null,
      },
    });
    return this.wireInvite(row);
  }

  /** The server invites that still work, newest first. */
  async invites(): Promise<ServerInviteLink[]> {
    const rows = await this.db.serverInvite.findMany({
      where: stillWorks(this.db.serverInvite.fields.maxUses),
      orderBy: { createdAt: "desc" },
    });
    return rows.map((r) => this.wireInvite(r));
  }

  async revokeInvite(token: string): Promise<void> {
    const { count } = await this.db.serverInvite.updateMany({
      where: { token, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count === 0) throw new AppError("not_found", "No such invite.");
  }

  /** A one-time link for `userId` to set a new password (callers check that `actor` is a server admin). */
  async issueReset(actor: PublicUser, userId: string): Promise<{ url: string; expiresAt: string }> {
    return issueResetLink(this.db, this.deps.publicUrl, actor.id, userId);
  }

  /** Sets a new password through a reset link (once); every session of the account is signed out. */
  async resetPassword(input: unknown): Promise<PublicUser> {
    const { token, password } = parse(passwordReset, input);
    const tokenHash = sha256(token);
    const { count } = await this.db.passwordReset.updateMany({
      where: { tokenHash, usedAt: null, expiresAt: { gt: new Date() } },
      data: { usedAt: new Date() },
    });
    if (count === 0)
      throw new AppError("forbidden", "This link has expired or was used already. Ask a server admin for a new one.");
    const { userId } = await this.db.passwordReset.findUniqueOrThrow({ where: { tokenHash }, select: { userId: true } });
    await this.deps.users.setPassword(userId, password);
    await this.deps.sessions.revokeAll(userId);
    return this.db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, username: true } });
  }

  /** Changes `user`'s password, given the current one; every session of theirs is signed out (this one signs in again). */
  async changePassword(user: PublicUser, input: unknown): Promise<void> {
    const { oldPassword, newPassword } = parse(passwordChange, input);
    if (!(await this.deps.users.passwordMatches(user.id, oldPassword))) {
      throw new AppError("forbidden", "That is not your current password.");
    }
    await this.deps.users.setPassword(user.id, newPassword);
    await this.deps.sessions.revokeAll(user.id);
  }
}
