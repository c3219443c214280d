// Which sessions are still good. A token is refused when its session was signed out (a
// RevokedSession row, kept until the token would have expired anyway) or when it signed in
// before the user last signed out everywhere (User.sessionsValidAfter). Open connections of a
// revoked session are closed at once, on every node.
import { apiTokenIdOf, type SessionClaim } from "../auth/tokens.ts";
import type { Db } from "../db.ts";
import type { PublicUser } from "../protocol/index.ts";
import { isUniqueViolation } from "./errors.ts";
import type { HotReads } from "./message-store/index.ts";
import type { Notifier } from "./notifier.ts";

export class SessionService {
  constructor(
    private readonly db: Db,
    private readonly notifier: Pick<Notifier, "endSessions">,
    private readonly hot: Pick<HotReads, "sessionOf">,
  ) {}

  /** The user a claim speaks for, or null when the account is gone or deactivated, or the session revoked. */
  async check(claim: SessionClaim): Promise<PublicUser | null> {
    const tokenId = apiTokenIdOf(claim.sid);
    if (tokenId !== null) return this.tokenUser(tokenId);
    // on every handshake and authenticated HTTP request: one prepared statement (hot-reads.ts)
    const user = await this.hot.sessionOf(claim.user.id, claim.sid);
    if (!user || user.revoked || user.deactivatedAt) return null;
    if (user.sessionsValidAfter && (claim.authTime === undefined || claim.authTime * 1000 <= user.sessionsValidAfter.getTime())) {
      return null;
    }
    return { id: user.id, username: user.username };
  }

  /** An API token's user while the token is good (not revoked, the account active); a token is not ended by "sign out everywhere". */
  private async tokenUser(tokenId: string): Promise<PublicUser | null> {
    const row = await this.db.apiToken.findUnique({
      where: { id: tokenId },
      select: { revokedAt: true, user: { select: { id: true, username: true, deactivatedAt: true } } },
    });
    if (!row || row.revokedAt || row.user.deactivatedAt) return null;
    return { id: row.user.id, username: row.user.username };
  }

  /** Signs one session out: its token is refused from now on and its connections close. */
  async revoke(claim: SessionClaim): Promise<void> {
    const tokenId = apiTokenIdOf(claim.sid);
    if (tokenId !== null) {
      // POST /api/logout with an API token revokes that token
      await this.db.apiToken.updateMany({ where: { id: tokenId, revokedAt: null }, data: { revokedAt: new Date() } });
      this.notifier.endSessions(claim.user.id, claim.sid);
    } else if (claim.sid) {
      const expiresAt = new Date((claim.expiresAt ?? Math.floor(Date.now() / 1000) + 31 * 86_400) * 1000);
      try {
        await this.db.revokedSession.create({ data: { id: claim.sid, userId: claim.user.id, expiresAt } });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      this.notifier.endSessions(claim.user.id, claim.sid);
    } else {
      // a token from before sessions had ids can only be revoked with all the others
      await this.revokeAll(claim.user.id);
    }
  }

  /** Signs every session of the user out (sign out everywhere; later, a password change). */
  async revokeAll(userId: string): Promise<void> {
    await this.db.user.update({ where: { id: userId }, data: { sessionsValidAfter: new Date() } });
    this.notifier.endSessions(userId);
  }

  /** Forgets revocations of tokens that have expired by now. */
  async sweep(): Promise<void> {
    await this.db.revokedSession.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  }
}
