// What room invite links and server invites share: how their tokens are made, when one expires,
// and when one still works (not revoked, not expired, uses left). One rule for both, in the
// queries that list them and in the conditional update that takes a use.
import { randomBytes } from "node:crypto";

/** 144 random bits, base64url: not to be guessed, short enough to read out. */
export const newToken = (): string => randomBytes(18).toString("base64url");

/** When an invitation good for `hours` expires (null: never). */
export const expiryOf = (hours: number | undefined): Date | null =>
  hours === undefined ? null : new Date(Date.now() + hours * 3_600_000);

/**
 * The Prisma condition of an invitation that still works now. `maxUses` is the model's own
 * `fields.maxUses` (uses are compared with it in the database, so the last use cannot be taken twice).
 */
export function stillWorks<F>(maxUses: F) {
  return {
    revokedAt: null,
    AND: [
      { OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
      { OR: [{ maxUses: null }, { uses: { lt: maxUses } }] },
    ],
  };
}
