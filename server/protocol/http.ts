// The HTTP API's requests and replies (docs/protocol.md, "HTTP API" and "Files").
import { z } from "zod";
import { clientMsgId, id, username } from "./fields.ts";
import type { PublicUser, WireDirectMessage, WireMessage } from "./wire.ts";

/** POST /api/files?…: where the file goes (one of roomId, conversationId, to), its name and the send's id. */
export const uploadQuery = z
  .object({
    roomId: id.optional(),
    conversationId: id.optional(),
    to: username.optional(),
    name: z.string().min(1, "name: give the file's name").max(1024, "name: at most 1024 characters"),
    clientMsgId,
  })
  .refine(
    (q) => [q.roomId, q.conversationId, q.to].filter((v) => v !== undefined).length === 1,
    "give one of roomId, conversationId or to",
  );

export type UploadQuery = z.input<typeof uploadQuery>;

/** POST /api/register → 201 */
export interface RegisterReply {
  user: PublicUser;
}

/** POST /api/token → 200 */
export interface TokenReply {
  token: string;
  user: PublicUser;
}

/** POST /api/files → 201 (stored) or 200 (a repeated clientMsgId: the message stored the first time) */
export interface UploadReply<M extends WireMessage | WireDirectMessage = WireMessage | WireDirectMessage> {
  message: M;
}

/** GET /api/admin/users?query=&limit=: accounts whose name contains `query` (all, without one). */
export const adminUserQuery = z
  .object({
    query: z.string().trim().max(32, "query: at most 32 characters").optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

/** PUT /api/admin/users/{id}/admin */
export const adminRoleChange = z.object({ isAdmin: z.boolean() }).strict();

/** An account as a server admin sees it. */
export interface AdminUser extends PublicUser {
  isAdmin: boolean;
  /** null: active */
  deactivatedAt: string | null;
  createdAt: string;
}

/** A room as a server admin sees it: every room, a private one by name only. */
export interface AdminRoom {
  id: string;
  name: string;
  visibility: "public" | "private";
  archived: boolean;
  memberCount: number;
  createdAt: string;
  lastMessageAt: string | null;
}
