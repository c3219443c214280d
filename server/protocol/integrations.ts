// Bots, API tokens, webhooks and the HTTP messages API (docs/protocol.md, "Integrations";
// docs/openapi.yaml has the HTTP side).
import { z } from "zod";
import { clientMsgId, displayName, id, messageBody, seq, username } from "./fields.ts";
import type { Profile, PublicUser } from "./wire.ts";

/** An API token as the person who made it sees it: never its secret, which is shown once. */
export interface ApiTokenInfo {
  id: string;
  name: string;
  /** whom it speaks for: its maker, or one of their bots */
  user: PublicUser;
  /** the rooms it is limited to; null: wherever its user may go */
  roomIds: string[] | null;
  createdAt: string;
  /** null: never used */
  lastUsedAt: string | null;
}

/** POST /api/tokens → 201: the token (`secret`, starting "kmn_") is shown only here. */
export interface NewApiToken {
  token: ApiTokenInfo;
  secret: string;
}

const tokenName = z.string().trim().min(1, "Give the token a name.").max(64, "Token name: at most 64 characters");

/** POST /api/tokens: a token of mine, or (botId) of a bot of mine, limited to `roomIds` when given. */
export const tokenRequest = z
  .object({
    name: tokenName,
    botId: id.optional(),
    roomIds: z.array(id).min(1, "roomIds: at least one room, or leave it out").max(100).optional(),
  })
  .strict();

/** A bot as its owner sees it. */
export interface BotInfo extends Profile {
  bot: true;
  createdAt: string;
  /** the rooms it is a member of */
  rooms: { id: string; name: string }[];
}

/** POST /api/bots */
export const botRequest = z.object({ username, displayName: displayName.optional() }).strict();

/** POST /api/rooms/{roomId}/messages and /api/conversations/{conversationId}/messages */
export const messagePost = z.object({ body: messageBody, clientMsgId, replyTo: id.optional() }).strict();

/** GET …/messages?afterSeq=&beforeSeq=&limit= (query strings are text: numbers are read from it) */
export const messagesQuery = z
  .object({
    afterSeq: z.coerce.number().pipe(seq(0)).optional(),
    beforeSeq: z.coerce.number().pipe(seq(1)).optional(),
    limit: z.coerce.number().int().min(1).optional(),
  })
  .strict();

/** A room's webhook as its owner and admins see it (the incoming one's URL only when made). */
export interface WebhookInfo {
  id: string;
  roomId: string;
  kind: "incoming" | "outgoing";
  name: string;
  /** the bot it posts as */
  bot: PublicUser;
  createdBy: PublicUser;
  createdAt: string;
  /** outgoing: where matching messages are POSTed, and the words that call it (its bot's mention always does) */
  url?: string;
  triggers?: string[];
}

const webhookName = z.string().trim().min(1, "Give the webhook a name.").max(64, "Webhook name: at most 64 characters");

/** A word that calls an outgoing webhook when a message starts with it ("deploy", "!status"). */
const triggerWord = z
  .string()
  .trim()
  .min(1)
  .max(32, "A trigger word has at most 32 characters.")
  .regex(/^\S+$/, "A trigger word is one word, without spaces.");

/** Socket events about webhooks (server/protocol/events.ts). */
export const webhookSchemas = {
  "webhook:create": z
    .object({
      roomId: id,
      name: webhookName,
      kind: z.enum(["incoming", "outgoing"]).default("incoming"),
      /** outgoing: where matching messages are POSTed */
      url: z.string().trim().url("Give the http(s) address to POST to.").max(2048).optional(),
      /** outgoing: the words that call it (its bot's mention always does) */
      triggers: z.array(triggerWord).max(10).optional(),
    })
    .strict()
    .refine((v) => v.kind === "incoming" || v.url !== undefined, "An outgoing webhook needs the url to POST to.")
    .refine(
      (v) => v.kind === "outgoing" || (v.url === undefined && v.triggers === undefined),
      "url and triggers are for outgoing webhooks.",
    ),
  "webhook:list": z.object({ roomId: id }).strict(),
  "webhook:delete": z.object({ roomId: id, webhookId: id }).strict(),
} as const;

export interface WebhookReplies {
  /**
   * incoming: `url` (with its secret) is given only here; outgoing: `signingSecret` (the HMAC key
   * its POSTs are signed with) is given only here. Keep them.
   */
  "webhook:create": { webhook: WebhookInfo & { url: string }; signingSecret?: string };
  "webhook:list": { webhooks: WebhookInfo[] };
  "webhook:delete": Record<never, never>;
}

/** The most an incoming webhook's POST body may be. */
export const MAX_HOOK_BODY_BYTES = 64 * 1024;
/** Posts one incoming webhook may make a minute (Slack allows about one a second). */
export const HOOK_POSTS_PER_MINUTE = 60;

/** A room's history or a person's own data as a zip (GET /api/exports/{id}/download once ready). */
export interface ExportInfo {
  id: string;
  kind: "room" | "personal";
  /** the room exported (kind "room") */
  room: { id: string; name: string } | null;
  status: "pending" | "ready" | "failed";
  /** the zip's size in bytes, once ready */
  size: number | null;
  /** why it failed, in words */
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** How long a finished export is kept. */
export const EXPORT_KEPT_DAYS = 7;
