// What a server admin governs: accounts (deactivated and reactivated, made admins) and every room
// by name. Deactivating someone signs them out everywhere at once, through the same revocation as
// "sign out everywhere" (server/services/sessions.ts).
import type { Db } from "../db.ts";
import type { AdminRoom, AdminUser, PublicUser } from "../protocol/index.ts";
import { AppError } from "./errors.ts";
import { nameKeyOf } from "./name-keys.ts";
import type { SessionService } from "./sessions.ts";
import type { UserService } from "./users.ts";

const userSelect = { id: true, username: true, isAdmin: true, deactivatedAt: true, createdAt: true } as const;

type UserRow = { id: string; username: string; isAdmin: boolean; deactivatedAt: Date | null; createdAt: Date };

const adminUser = (row: UserRow): AdminUser => ({
  id: row.id,
  username: row.username,
  isAdmin: row.isAdmin,
  deactivatedAt: row.deactivatedAt?.toISOString() ?? null,
  createdAt: row.createdAt.toISOString(),
});

export class AdminService {
  constructor(
    private readonly db: Db,
    private readonly sessions: SessionService,
    private readonly people: UserService,
  ) {}

  /** Throws forbidden unless `user` is a server admin. */
  async assertAdmin(user: PublicUser): Promise<void> {
    if (!(await this.people.isAdmin(user.id))) throw new AppError("forbidden", "Only server admins can do this.");
  }

  /** Accounts whose name contains `query` (ignoring case and look-alikes), by name; all of them without `limit`. */
  async users(query: string | undefined, limit?: number): Promise<AdminUser[]> {
    const rows = await this.db.user.findMany({
      where: query ? { usernameKey: { contains: nameKeyOf(query) } } : {},
      orderBy: { usernameKey: "asc" },
      take: limit,
      select: userSelect,
    });
    return rows.map(adminUser);
  }

  /**
   * Deactivates an account (it cannot sign in; every session and token of it is refused and its
   * connections close, on every node) or reactivates it (its old sessions stay signed out).
   * `actor`: the admin who does it, or null from the shell (`npm run admin`).
   */
  async setActive(actor: PublicUser | null, userId: string, active: boolean): Promise<AdminUser> {
    if (!active && userId === actor?.id) throw new AppError("invalid_input", "You cannot deactivate your own account.");
    const row = await this.db.user
      .update({ where: { id: userId }, data: { deactivatedAt: active ? null : new Date() }, select: userSelect })
      .catch(() => null);
    if (!row) throw new AppError("not_found", "No such user.");
    if (!active) await this.sessions.revokeAll(userId);
    return adminUser(row);
  }

  /** Makes someone a server admin, or not; the last admin stays one (someone must be able to govern). */
  async setAdmin(userId: string, isAdmin: boolean): Promise<AdminUser> {
    if (!isAdmin) {
      const others = await this.db.user.count({ where: { isAdmin: true, id: { not: userId }, deactivatedAt: null } });
      if (others === 0) throw new AppError("conflict", "This is the last server admin: make someone else admin first.");
    }
    const row = await this.db.user.update({ where: { id: userId }, data: { isAdmin }, select: userSelect }).catch(() => null);
    if (!row) throw new AppError("not_found", "No such user.");
    return adminUser(row);
  }

  /** Throws not_found unless the room exists (a default room to be). */
  async assertRoom(roomId: string): Promise<void> {
    const room = await this.db.room.findUnique({ where: { id: roomId }, select: { id: true } });
    if (!room) throw new AppError("not_found", "No such room.");
  }

  /** Every room (private ones too, by name: never their messages), newest activity first. */
  async rooms(query: string | undefined, limit: number): Promise<AdminRoom[]> {
    const rows = await this.db.room.findMany({
      where: query ? { nameKey: { contains: nameKeyOf(query) } } : {},
      orderBy: { activityAt: "desc" },
      take: limit,
      select: {
        id: true,
        name: true,
        visibility: true,
        archivedAt: true,
        createdAt: true,
        lastMessageAt: true,
        _count: { select: { memberships: true } },
      },
    });
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      visibility: r.visibility as AdminRoom["visibility"],
      archived: r.archivedAt !== null,
      memberCount: r._count.memberships,
      createdAt: r.createdAt.toISOString(),
      lastMessageAt: r.lastMessageAt?.toISOString() ?? null,
    }));
  }
}
