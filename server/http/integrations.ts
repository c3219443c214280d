// Bots and API tokens over HTTP (docs/protocol.md, "Integrations"; docs/openapi.yaml): made,
// listed and revoked by a signed-in person, from the settings page or a script with a password
// session's token, never with an API token (a leaked one must not mint others).
import type { IncomingMessage } from "node:http";
import type { HttpAuth } from "../auth/http-auth.ts";
import { apiTokenIdOf } from "../auth/tokens.ts";
import type { Profile, PublicUser, RoomRole } from "../protocol/index.ts";
import { AppError } from "../services/errors.ts";
import type { ApiTokenService } from "../services/integrations/api-tokens.ts";
import type { BotService } from "../services/integrations/bots.ts";
import { MAX_AVATAR_UPLOAD_BYTES, type ProfileService } from "../services/profiles.ts";
import type { Route } from "./api.ts";
import { readJson, sendJson } from "./respond.ts";

export interface IntegrationRoutesOptions {
  auth: HttpAuth;
  tokens: ApiTokenService;
  bots: BotService;
  /** a bot was added to a room: its connections hear the room from now on, the members of the newcomer */
  joined(bot: PublicUser, roomId: string, member?: Profile & { role: RoomRole }): Promise<void>;
  /** a bot was taken out of a room */
  left(botId: string, roomId: string): Promise<void>;
  profiles: ProfileService;
  /** tells everyone connected that a profile changed (a bot's new picture) */
  announce(profile: Profile): void;
}

export function integrationRoutes({ auth, tokens, bots, joined, left, profiles, announce }: IntegrationRoutesOptions): Route[] {
  /** The signed-in person making the request: not an API token. */
  async function person(req: IncomingMessage, use: "read" | "write"): Promise<PublicUser> {
    const { user, claim } = await auth(req, use);
    if (apiTokenIdOf(claim.sid) !== null) {
      throw new AppError("forbidden", "Bots and tokens are managed from a signed-in session, not with an API token.");
    }
    return user;
  }

  return [
    {
      path: "/api/tokens",
      methods: {
        GET: async (req, res) => sendJson(res, 200, { tokens: await tokens.list(await person(req, "read")) }),
        POST: async (req, res) => {
          const user = await person(req, "write");
          sendJson(res, 201, await tokens.create(user, await readJson(req)));
        },
      },
    },
    {
      path: /^\/api\/tokens\/([^/]+)$/,
      methods: {
        DELETE: async (req, res, [tokenId]) => {
          await tokens.revoke(await person(req, "write"), decodeURIComponent(tokenId));
          res.writeHead(204).end();
        },
      },
    },
    {
      path: "/api/bots",
      methods: {
        GET: async (req, res) => sendJson(res, 200, { bots: await bots.list(await person(req, "read")) }),
        POST: async (req, res) => {
          const user = await person(req, "write");
          sendJson(res, 201, { bot: await bots.create(user, await readJson(req)) });
        },
      },
    },
    {
      path: /^\/api\/bots\/([^/]+)$/,
      methods: {
        DELETE: async (req, res, [botId]) => {
          await bots.remove(await person(req, "write"), decodeURIComponent(botId));
          res.writeHead(204).end();
        },
      },
    },
    {
      // a bot's picture, set by its owner (a PNG, JPEG, GIF or WebP, made a 256 x 256 WebP as anyone's)
      path: /^\/api\/bots\/([^/]+)\/avatar$/,
      methods: {
        PUT: async (req, res, [botId]) => {
          const bot = await tokens.botOf(await person(req, "write"), decodeURIComponent(botId));
          if (Number(req.headers["content-length"]) > MAX_AVATAR_UPLOAD_BYTES) {
            throw new AppError("too_large", "An avatar picture may be at most 10 MB.");
          }
          const profile = await profiles.setAvatar(bot.id, req);
          announce(profile);
          sendJson(res, 200, { profile });
        },
      },
    },
    {
      path: /^\/api\/bots\/([^/]+)\/rooms\/([^/]+)$/,
      methods: {
        PUT: async (req, res, [botId, roomId]) => {
          const room = decodeURIComponent(roomId);
          const added = await bots.addToRoom(await person(req, "write"), decodeURIComponent(botId), room);
          await joined(added.bot, room, added.member);
          res.writeHead(204).end();
        },
        DELETE: async (req, res, [botId, roomId]) => {
          const room = decodeURIComponent(roomId);
          const removed = await bots.removeFromRoom(await person(req, "write"), decodeURIComponent(botId), room);
          if (removed.left) await left(removed.bot.id, room);
          res.writeHead(204).end();
        },
      },
    },
  ];
}
