// The HTTP API's requests and replies (docs/protocol.md, "HTTP API" and "Files").
import { z } from "zod";
import { clientMsgId, id, password, username } from "./fields.ts";
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

/** Who may make an account: anyone, whoever has an invitation (a server invite or a room's invite link), or nobody. */
export const REGISTRATION_MODES = ["open", "invite-only", "closed"] as const;
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];

/** The server's settings (GET and PUT /api/admin/settings). */
export interface ServerSettings {
  registration: RegistrationMode;
  /** the largest file people may share, in MB (null: MAX_UPLOAD_MB, which it never exceeds) */
  uploadLimitMb: number | null;
  /** the room every new account joins (null: none) */
  defaultRoomId: string | null;
}

/** PUT /api/admin/settings: any of the settings (null: back to the default). */
export const serverSettingsChange = z
  .object({
    registration: z.enum(REGISTRATION_MODES).optional(),
    uploadLimitMb: z.number().positive().max(1_000_000).nullable().optional(),
    defaultRoomId: id.nullable().optional(),
  })
  .strict();

/** POST /api/admin/invites: an invitation to make an account, good for a time and a number of uses when given. */
export const serverInviteRequest = z
  .object({
    expiresInHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 365)
      .optional(),
    maxUses: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();

/** A server invite: `url` opens the sign-up page with it. */
export interface ServerInviteLink {
  token: string;
  url: string;
  createdAt: string;
  expiresAt: string | null;
  maxUses: number | null;
  uses: number;
}

/** POST /api/register's body: `invite` is a server invite or a room's invite-link token (for invite-only registration). */
export const registration = z.object({
  username,
  password,
  invite: z.string().max(128).optional(),
});

/** POST /api/password: a new password, with the current one. */
export const passwordChange = z.object({ oldPassword: z.string().max(1024), newPassword: password }).strict();

/** POST /api/password-reset: a new password, with the one-time link's token. */
export const passwordReset = z.object({ token: z.string().min(16).max(128), password }).strict();
