// Messages over plain HTTP, for scripts that do not want a socket (docs/protocol.md, "HTTP
// API"; docs/openapi.yaml): POST and GET /api/rooms/{roomId}/messages and the same for
// /api/conversations/{conversationId}/messages. Each request is the socket event of the same
// name (message:send, room:history, dm:send, dm:history): the same schema parses it, the same
// per-account limits count it, the same services store and page; the members' connections hear
// of a new message as if it had been sent over a socket.
import type { IncomingMessage } from "node:http";
import type { HttpAuth } from "../auth/http-auth.ts";
import { type ClientEvent, messagePost, messagesQuery, schemas } from "../protocol/index.ts";
import type { ConversationService } from "../services/conversations.ts";
import type { PostingService } from "../services/posting.ts";
import type { RoomService } from "../services/rooms.ts";
import { parse } from "../services/validation.ts";
import type { Route } from "./api.ts";
import { readJson, sendJson } from "./respond.ts";

export interface MessageRoutesOptions {
  auth: HttpAuth;
  rooms: RoomService;
  conversations: ConversationService;
  posting: PostingService;
  /** counts a request against the account's limits, as the socket's dispatcher does (Quotas.take) */
  take(event: ClientEvent, userId: string): Promise<void>;
}

/** A page request's query string as the socket event's fields (numbers read from the text). */
function pageOf(req: IncomingMessage) {
  return parse(messagesQuery, Object.fromEntries(new URL(req.url ?? "/", "http://x").searchParams));
}

/** A status for a send: 201 when stored now, 200 when the clientMsgId was stored before (nothing changed). */
const sendStatus = (created: boolean) => (created ? 201 : 200);

export function messageRoutes({ auth, rooms, conversations, posting, take }: MessageRoutesOptions): Route[] {
  return [
    {
      path: /^\/api\/rooms\/([^/]+)\/messages$/,
      methods: {
        GET: async (req, res, [rawId]) => {
          const roomId = decodeURIComponent(rawId);
          const { user } = await auth(req, "read", roomId);
          await take("room:history", user.id);
          const { beforeSeq, afterSeq, limit } = parse(schemas["room:history"], { roomId, ...pageOf(req) });
          await rooms.assertMember(user, roomId);
          sendJson(res, 200, await rooms.history(roomId, { beforeSeq, afterSeq }, limit));
        },
        POST: async (req, res, [rawId]) => {
          const roomId = decodeURIComponent(rawId);
          const { user } = await auth(req, "write", roomId);
          await take("message:send", user.id);
          const fields = parse(messagePost, await readJson(req));
          const { body, clientMsgId, replyTo } = parse(schemas["message:send"], { roomId, ...fields });
          await rooms.assertMember(user, roomId);
          const posted = await posting.toRoom(roomId, { author: user, body, clientMsgId, replyTo });
          sendJson(res, sendStatus(posted.created), { message: posted.message });
          posted.announce();
        },
      },
    },
    {
      path: /^\/api\/conversations\/([^/]+)\/messages$/,
      methods: {
        GET: async (req, res, [rawId]) => {
          const conversationId = decodeURIComponent(rawId);
          const { user } = await auth(req, "read");
          await take("dm:history", user.id);
          const { beforeSeq, afterSeq, limit } = parse(schemas["dm:history"], { conversationId, ...pageOf(req) });
          await conversations.assertParticipant(user, conversationId);
          sendJson(res, 200, await conversations.history(conversationId, { beforeSeq, afterSeq }, limit));
        },
        POST: async (req, res, [rawId]) => {
          const conversationId = decodeURIComponent(rawId);
          const { user } = await auth(req, "write");
          await take("dm:send", user.id);
          const fields = parse(messagePost, await readJson(req));
          const { body, clientMsgId, replyTo } = parse(schemas["dm:send"], { conversationId, ...fields });
          await conversations.assertParticipant(user, conversationId);
          const posted = await posting.toConversation(conversationId, { author: user, body, clientMsgId, replyTo });
          sendJson(res, sendStatus(posted.created), { message: posted.message });
          posted.announce();
        },
      },
    },
  ];
}
