// API tokens: long-lived credentials for a person's scripts and for bots, listed and revocable,
// optionally limited to some rooms. Only a SHA-256 of each is kept (a token is 32 random bytes:
// no dictionary to guard against, so no slow hash is needed); the token itself is shown once.
// A token is a session of its own (`token:<id>`, server/auth/tokens.ts): revoking it closes its
// connections on every node, and every request made with it is checked against the database.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { API_TOKEN_PREFIX, apiTokenSid } from "../../auth/tokens.ts";
import type { Db } from "../../db.ts";
import { type ApiTokenInfo, type NewApiToken, type PublicUser, tokenRequest } from "../../protocol/index.ts";
import { AppError } from "../errors.ts";
import type { Notifier } from "../notifier.ts";
import { parse } from "../validation.ts";

/** What a request made with an API token may do: speak for `user`, in `roomIds` only (null: anywhere). */
export interface ApiTokenGrant {
  user: PublicUser;
  tokenId: string;
  roomIds: string[] | null;
}

/** How often a token's lastUsedAt is written at most: a busy bot must not write on every request. */
const TOUCH_EVERY_MS = 60_000;

export const tokenHash = (secret: string) => createHash("sha256").update(secret).digest("hex");

const infoSelect = {
  id: true,
  name: true,
  roomIds: true,
  createdAt: true,
  lastUsedAt: true,
  user: { select: { id: true, username: true } },
} as const;

type InfoRow = {
  id: string;
  name: string;
  roomIds: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  user: PublicUser;
};

const toInfo = (row: InfoRow): ApiTokenInfo => ({
  id: row.id,
  name: row.name,
  user: row.user,
  roomIds: row.roomIds === null ? null : (JSON.parse(row.roomIds) as string[]),
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
});

export class ApiTokenService {
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly notifier: Pick<Notifier, "endSessions">,
  ) {}

  /**
   * A token for `maker`, or for a bot of theirs (`botId`). Limited to rooms, each must be one the
   * maker can see (a public room, or one they are in).
   */
  async create(maker: PublicUser, input: unknown): Promise<NewApiToken> {
    const { name, botId, roomIds } = parse(tokenRequest, input);
    const user = botId === undefined ? maker : await this.botOf(maker, botId);
    const rooms = roomIds === undefined ? null : [...new Set(roomIds)];
    if (rooms) {
      const seen = await this.db.room.count({
        where: {
          id: { in: rooms },
          OR: [{ visibility: "public" }, { memberships: { some: { userId: maker.id } } }],
        },
      });
      if (seen !== rooms.length)
        throw new AppError("not_found", "No such room: a token can be limited only to rooms you can see.");
    }
    const secret = API_TOKEN_PREFIX + randomBytes(32).toString("base64url");
    const row = await this.db.apiToken.create({
      data: {
        id: randomUUID(),
        userId: user.id,
        createdById: maker.id,
        name,
        secretHash: tokenHash(secret),
        roomIds: rooms === null ? null : JSON.stringify(rooms),
      },
      select: infoSelect,
    });
    return { token: toInfo(row), secret };
  }

  /** The tokens `maker` made (theirs and their bots'), not revoked, newest first. */
  async list(maker: PublicUser): Promise<ApiTokenInfo[]> {
    const rows = await this.db.apiToken.findMany({
      where: { createdById: maker.id, revokedAt: null },
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      select: infoSelect,
    });
    return rows.map(toInfo);
  }

  /** Revokes a token `maker` made: refused from now on, its connections closed on every node. */
  async revoke(maker: PublicUser, tokenId: string): Promise<void> {
    const row = await this.db.apiToken.findFirst({
      where: { id: tokenId, createdById: maker.id, revokedAt: null },
      select: { userId: true },
    });
    if (!row) throw new AppError("not_found", "No such token of yours.");
    await this.db.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
    this.notifier.endSessions(row.userId, apiTokenSid(tokenId));
  }

  /** Revokes every token of a user (a bot being deleted). */
  async revokeAllOf(userId: string): Promise<void> {
    await this.db.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  /** What a token may do, or null when it is unknown, revoked, or its account deactivated. */
  async check(secret: string): Promise<ApiTokenGrant | null> {
    if (!secret.startsWith(API_TOKEN_PREFIX) || secret.length > 128) return null;
    const row = await this.db.apiToken.findUnique({
      where: { secretHash: tokenHash(secret) },
      select: { id: true, roomIds: true, revokedAt: true, user: { select: { id: true, username: true, deactivatedAt: true } } },
    });
    if (!row || row.revokedAt || row.user.deactivatedAt) return null;
    this.touch(row.id);
    return {
      user: { id: row.user.id, username: row.user.username },
      tokenId: row.id,
      roomIds: row.roomIds === null ? null : (JSON.parse(row.roomIds) as string[]),
    };
  }

  /** Notes that a token was used, at most once a minute per token and node, off the request's path. */
  private touch(tokenId: string): void {
    const now = Date.now();
    if (now - (this.touched.get(tokenId) ?? 0) < TOUCH_EVERY_MS) return;
    this.touched.set(tokenId, now);
    if (this.touched.size > 10_000) this.touched.clear();
    void this.db.apiToken.update({ where: { id: tokenId }, data: { lastUsedAt: new Date(now) } }).catch(() => undefined);
  }

  /** A bot of `owner`'s (active), or not_found. */
  async botOf(owner: PublicUser, botId: string): Promise<PublicUser> {
    const bot = await this.db.user.findFirst({
      where: { id: botId, botOwnerId: owner.id, deactivatedAt: null },
      select: { id: true, username: true },
    });
    if (!bot) throw new AppError("not_found", "No such bot of yours.");
    return bot;
  }
}
