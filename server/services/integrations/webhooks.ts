// A room's webhooks, made by its owner or an admin. Incoming: whatever is POSTed to its URL
// (/hooks/{secret}) is posted in the room as the webhook's own bot, through the same queue as
// every other message; only a SHA-256 of the secret is kept, so the URL is shown once. Outgoing:
// the room's messages that call it are POSTed to a URL (outgoing.ts).
import { randomBytes, randomUUID } from "node:crypto";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { secondsUntil } from "../../auth/limiter.ts";
import type { Db } from "../../db.ts";
import {
  messageBody,
  type Profile,
  type PublicUser,
  type RoomRole,
  type WebhookInfo,
  type WireMessage,
} from "../../protocol/index.ts";
import { AppError } from "../errors.ts";
import type { ModerationService } from "../moderation.ts";
import type { Posted, PostingService } from "../posting.ts";
import type { RoomService } from "../rooms.ts";
import { parse } from "../validation.ts";
import { checkTarget, publicLookup } from "./addresses.ts";
import { tokenHash } from "./api-tokens.ts";
import { type BotService, usernameFrom } from "./bots.ts";
import type { OutgoingWebhooks } from "./outgoing.ts";
import { hookMessage } from "./slack.ts";

const infoSelect = {
  id: true,
  roomId: true,
  kind: true,
  name: true,
  botId: true,
  createdById: true,
  createdAt: true,
  url: true,
  triggers: true,
} as const;

type WebhookRow = {
  id: string;
  roomId: string;
  kind: string;
  name: string;
  botId: string;
  createdById: string;
  createdAt: Date;
  url: string | null;
  triggers: string | null;
};

/** A bot's username for a webhook called `name`: its letters and digits, and a few random ones to keep it unique. */
export function hookUsername(name: string): string {
  return `${usernameFrom(name, 20) || "webhook"}-${randomBytes(3).toString("hex")}`;
}

export class WebhookService {
  constructor(
    private readonly db: Db,
    private readonly moderation: ModerationService,
    private readonly bots: BotService,
    private readonly posting: PostingService,
    private readonly rooms: RoomService,
    private readonly publicUrl: string,
    /** posts per webhook (HOOK_POSTS_PER_MINUTE), counted across nodes with Redis */
    private readonly rate: RateLimiterAbstract,
    private readonly outgoing: Pick<OutgoingWebhooks, "refresh"> & { allowPrivate: boolean },
  ) {}

  private async info(rows: WebhookRow[]): Promise<WebhookInfo[]> {
    const ids = [...new Set(rows.flatMap((r) => [r.botId, r.createdById]))];
    const users = new Map(
      (await this.db.user.findMany({ where: { id: { in: ids } }, select: { id: true, username: true } })).map((u) => [u.id, u]),
    );
    const who = (id: string): PublicUser => users.get(id) ?? { id, username: "" };
    return rows.map((r) => ({
      id: r.id,
      roomId: r.roomId,
      kind: r.kind as WebhookInfo["kind"],
      name: r.name,
      bot: who(r.botId),
      createdBy: who(r.createdById),
      createdAt: r.createdAt.toISOString(),
      ...(r.url !== null ? { url: r.url } : {}),
      ...(r.triggers !== null ? { triggers: JSON.parse(r.triggers) as string[] } : {}),
    }));
  }

  /** Makes an incoming webhook (and its bot) in a room `actor` owns or administers; its URL is answered only here. */
  async createIncoming(actor: PublicUser, roomId: string, name: string): Promise<WebhookInfo & { url: string }> {
    await this.moderation.require(actor, roomId, "webhooks");
    const bot = await this.bots.make(actor, hookUsername(name), name);
    const secret = randomBytes(24).toString("base64url");
    const row = await this.db.webhook.create({
      data: {
        id: randomUUID(),
        roomId,
        kind: "incoming",
        name,
        botId: bot.id,
        createdById: actor.id,
        secretHash: tokenHash(secret),
      },
      select: infoSelect,
    });
    const [info] = await this.info([row]);
    return { ...info, url: `${this.publicUrl.replace(/\/$/, "")}/hooks/${secret}` };
  }

  /**
   * Makes an outgoing webhook (and its bot, a member of the room so it can be mentioned). The
   * URL must reach a public address (checked now, and again at every delivery). `signingSecret`
   * is answered only here.
   */
  async createOutgoing(
    actor: PublicUser,
    roomId: string,
    fields: { name: string; url: string; triggers: string[] },
  ): Promise<{ webhook: WebhookInfo & { url: string }; signingSecret: string; member?: Profile & { role: RoomRole } }> {
    await this.moderation.require(actor, roomId, "webhooks");
    const url = new URL(fields.url);
    try {
      checkTarget(url, this.outgoing.allowPrivate);
      await new Promise<void>((resolve, reject) =>
        publicLookup(this.outgoing.allowPrivate)(url.hostname.replace(/^\[|\]$/g, ""), {}, (error) =>
          error ? reject(error) : resolve(),
        ),
      );
    } catch (error) {
      const reason =
        (error as Error).name === "PrivateAddressError"
          ? (error as Error).message
          : `${url.hostname} cannot be reached: ${(error as Error).message}`;
      throw new AppError("invalid_input", reason);
    }
    const bot = await this.bots.make(actor, hookUsername(fields.name), fields.name);
    // a webhook's bot needs no invitation: whoever may make webhooks here lets it in
    const joined = await this.rooms.join(bot, roomId, async () => undefined);
    const signingSecret = randomBytes(32).toString("hex");
    const triggers = [...new Set(fields.triggers)];
    const row = await this.db.webhook.create({
      data: {
        id: randomUUID(),
        roomId,
        kind: "outgoing",
        name: fields.name,
        botId: bot.id,
        createdById: actor.id,
        url: url.toString(),
        signingSecret,
        triggers: JSON.stringify(triggers),
      },
      select: infoSelect,
    });
    await this.outgoing.refresh();
    const [info] = await this.info([row]);
    return { webhook: { ...info, url: url.toString() }, signingSecret, member: joined.member };
  }

  /** A room's webhooks, oldest first: to its owner and admins. */
  async list(actor: PublicUser, roomId: string): Promise<WebhookInfo[]> {
    await this.moderation.require(actor, roomId, "webhooks");
    const rows = await this.db.webhook.findMany({
      where: { roomId, revokedAt: null },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: infoSelect,
    });
    return this.info(rows);
  }

  /** Deletes a webhook: its URL is refused from now on; its bot's messages stay. */
  async remove(actor: PublicUser, roomId: string, webhookId: string): Promise<void> {
    await this.moderation.require(actor, roomId, "webhooks");
    const hook = await this.db.webhook.findFirst({ where: { id: webhookId, roomId, revokedAt: null }, select: { botId: true } });
    if (!hook) throw new AppError("not_found", "No such webhook in this room.");
    const now = new Date();
    await this.db.$transaction([
      this.db.webhook.update({ where: { id: webhookId }, data: { revokedAt: now } }),
      this.db.user.update({ where: { id: hook.botId }, data: { deactivatedAt: now } }),
    ]);
    await this.outgoing.refresh();
  }

  /**
   * Posts what was sent to an incoming webhook's URL. not_found for an unknown or deleted one,
   * rate_limited past HOOK_POSTS_PER_MINUTE, invalid_input for a payload with nothing to say.
   */
  async receive(secret: string, payload: unknown): Promise<Posted<WireMessage>> {
    const hook = await this.db.webhook.findUnique({
      where: { secretHash: tokenHash(secret) },
      select: { id: true, kind: true, roomId: true, revokedAt: true, botId: true },
    });
    if (hook?.kind !== "incoming" || hook.revokedAt) throw new AppError("not_found", "No such webhook.");
    try {
      await this.rate.consume(hook.id);
    } catch (refused) {
      if (refused instanceof Error) throw refused;
      const wait = secondsUntil((refused as { msBeforeNext: number }).msBeforeNext);
      throw new AppError("rate_limited", `This webhook is posting too fast. Try again in ${wait} s.`, { retryAfter: wait });
    }
    const message = hookMessage(payload);
    if (!message) throw new AppError("invalid_input", "no_text: give text, blocks or attachments.");
    const bot = await this.db.user.findUnique({ where: { id: hook.botId }, select: { id: true, username: true } });
    if (!bot) throw new AppError("not_found", "No such webhook.");
    return this.posting.toRoom(hook.roomId, {
      author: bot,
      body: parse(messageBody, message.body),
      clientMsgId: `hook-${randomUUID()}`,
      ...(message.via ? { via: message.via } : {}),
    });
  }
}
