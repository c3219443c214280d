// Bot accounts: made by a person (their owner), named like people, marked as bots wherever they
// appear. A bot has no password and never signs in through the browser; it speaks through API
// tokens its owner makes (api-tokens.ts). Its owner adds it to rooms they may invite to.
import { randomUUID } from "node:crypto";
import type { Db } from "../../db.ts";
import { type BotInfo, botRequest, type Profile, type PublicUser, type RoomRole } from "../../protocol/index.ts";
import { AppError, isUniqueViolation } from "../errors.ts";
import type { ModerationService } from "../moderation.ts";
import { nameKeyOf } from "../name-keys.ts";
import type { Notifier } from "../notifier.ts";
import { profileSelect, toProfile } from "../profiles.ts";
import type { RoomService } from "../rooms.ts";
import { parse } from "../validation.ts";
import type { ApiTokenService } from "./api-tokens.ts";

/**
 * Someone's name (a webhook's, a Slack account's) as much of a username as it can give: its
 * letters, digits, _ . and -, runs of anything else as one "-", at most `max` characters; "" when
 * nothing is left. Callers add what makes it unique or long enough.
 */
export function usernameFrom(name: string, max: number): string {
  return name
    .normalize("NFKC")
    .replace(/[^\p{L}\p{M}\p{N}_.-]+/gu, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, max);
}

/** A password hash no password matches (not Argon2's format): bots are refused before it is read anyway. */
export const NO_PASSWORD = "!bot";

export class BotService {
  constructor(
    private readonly db: Db,
    private readonly tokens: ApiTokenService,
    private readonly rooms: RoomService,
    private readonly moderation: ModerationService,
    private readonly notifier: Pick<Notifier, "endSessions">,
  ) {}

  /** Makes a bot account owned by `owner` (its username as unique as anyone's). */
  async create(owner: PublicUser, input: unknown): Promise<BotInfo> {
    const { username, displayName } = parse(botRequest, input);
    return this.make(owner, username, displayName || null);
  }

  /** The bot account behind something else (a webhook), with a name of its own. */
  async make(owner: PublicUser, username: string, displayName: string | null): Promise<BotInfo> {
    try {
      const row = await this.db.user.create({
        data: {
          id: randomUUID(),
          username,
          usernameKey: nameKeyOf(username),
          passwordHash: NO_PASSWORD,
          displayName,
          botOwnerId: owner.id,
        },
        select: { ...profileSelect, createdAt: true },
      });
      return { ...toProfile(row), bot: true, createdAt: row.createdAt.toISOString(), rooms: [] };
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("conflict", "That username is taken.");
      throw error;
    }
  }

  /** `owner`'s bots (not deleted), oldest first, with the rooms each is in. */
  async list(owner: PublicUser): Promise<BotInfo[]> {
    const rows = await this.db.user.findMany({
      where: { botOwnerId: owner.id, deactivatedAt: null },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: {
        ...profileSelect,
        createdAt: true,
        memberships: { select: { room: { select: { id: true, name: true } } }, orderBy: { joinedAt: "asc" } },
      },
    });
    return rows.map((row) => ({
      ...toProfile(row),
      bot: true,
      createdAt: row.createdAt.toISOString(),
      rooms: row.memberships.map((m) => m.room),
    }));
  }

  /**
   * Deletes a bot: its account is deactivated (its messages stay, under its name), its tokens
   * revoked and its connections closed.
   */
  async remove(owner: PublicUser, botId: string): Promise<void> {
    const bot = await this.tokens.botOf(owner, botId);
    const now = new Date();
    await this.db.user.update({ where: { id: bot.id }, data: { deactivatedAt: now, sessionsValidAfter: now } });
    await this.tokens.revokeAllOf(bot.id);
    this.notifier.endSessions(bot.id);
  }

  /**
   * Adds a bot of `owner`'s to a room `owner` is in: any public one, a private one where they may
   * invite people. `member` is set when it was not in the room before.
   */
  async addToRoom(
    owner: PublicUser,
    botId: string,
    roomId: string,
  ): Promise<{ bot: PublicUser; member?: Profile & { role: RoomRole } }> {
    const bot = await this.tokens.botOf(owner, botId);
    await this.rooms.assertMember(owner, roomId);
    const room = await this.db.room.findUnique({ where: { id: roomId }, select: { visibility: true } });
    // into a private room only by whoever may invite people there
    const admit =
      room?.visibility === "private"
        ? async () => {
            await this.moderation.require(owner, roomId, "invite");
          }
        : undefined;
    const joined = await this.rooms.join(bot, roomId, admit);
    return { bot, member: joined.member };
  }

  /** Takes a bot of `owner`'s out of a room; `left` says whether it was in it. */
  async removeFromRoom(owner: PublicUser, botId: string, roomId: string): Promise<{ bot: PublicUser; left: boolean }> {
    const bot = await this.tokens.botOf(owner, botId);
    const { left } = await this.rooms.leave(bot, roomId);
    return { bot, left };
  }
}
