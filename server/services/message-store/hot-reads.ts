// Reads made on every room:join and every connection's handshake, and those a node repeats every
// few seconds, in plain SQL on the message store's own connection (docs/decisions/006-message-
// write-path.md, and 017 for these). Prisma's query builder compiles each query anew: ~1 ms of
// CPU for a raw query and 2-3 ms for a nested select, on top of the statement itself, which cost
// room:join most of its time, made a busy server's handshakes slow, and paused the event loop
// a few times a second while messages flowed. These are prepared once and cost tens of
// microseconds.
import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";
import { likeEscape } from "../../db/like.ts";
import { allAsObjects } from "../../db/sqlite.ts";
import { utc } from "./postgres.ts";
import { date } from "./sqlite.ts";

/** A room's own columns, as the services read them. */
export interface RoomColumns {
  id: string;
  name: string;
  topic: string | null;
  lastSeq: number;
  lastMessageAt: Date | null;
  createdAt: Date;
  createdById: string;
  visibility: string;
  archivedAt: Date | null;
}

/** A room with one of its members, or with none (one row of nulls for the member's columns). */
export interface RoomMemberRow extends RoomColumns {
  lastReadSeq: number | null;
  notify: string | null;
  role: string | null;
  userId: string | null;
  username: string | null;
  displayName: string | null;
  status: string | null;
  avatarVersion: number | null;
  deactivatedAt: Date | null;
  botOwnerId: string | null;
}

export interface HotReads {
  /** the room, a row per member (none: one row with the member's columns null; no room: no row) */
  roomWithMembers(roomId: string): Promise<RoomMemberRow[]>;
  /**
   * How many unread messages mention `userId` in each of their rooms (or of `roomIds`), by name,
   * @here while they were online, or @room; their own and deleted ones never count. Reads only
   * messages that mention someone (the partial index "Message_mentions_idx").
   */
  mentionCounts(userId: string, roomIds?: string[]): Promise<Map<string, number>>;
  /** the ids of the rooms and of the private conversations `userId` takes part in (the handshake) */
  channelsOf(userId: string): Promise<{ roomIds: string[]; conversationIds: string[] }>;
  /** what a session check needs of a user, and whether the session `sid` was signed out (null: no such user) */
  sessionOf(userId: string, sid: string | undefined): Promise<SessionRow | null>;
  /** the accounts whose sessions were cut at or after `since` (revocation-watch.ts, every second) */
  signedOutSince(since: Date): Promise<{ id: string; sessionsValidAfter: Date }[]>;
  /** the room's members a Web Push could reach (a browser subscribed), read again every few seconds while the room is written to (push.ts) */
  pushableMembers(roomId: string): Promise<PushableMember[]>;
  /** the server's settings as stored (server-settings.ts, every few seconds) */
  serverSettings(): Promise<{ key: string; value: string }[]>;
  /** the outgoing webhooks in force, with their bot's name (integrations/outgoing.ts, every few seconds) */
  outgoingWebhooks(): Promise<OutgoingWebhookRow[]>;
}

export interface PushableMember {
  userId: string;
  username: string;
  notify: string;
}

export interface OutgoingWebhookRow {
  id: string;
  roomId: string;
  botId: string;
  botUsername: string | null;
  url: string | null;
  signingSecret: string | null;
  triggers: string | null;
}

export interface SessionRow {
  id: string;
  username: string;
  sessionsValidAfter: Date | null;
  deactivatedAt: Date | null;
  revoked: boolean;
}

const MEMBER_COLUMNS = `m."lastReadSeq", m.notify, m.role, u.id AS "userId", u.username, u."displayName", u.status, u."avatarVersion", u."botOwnerId"`;
const MEMBERS_JOIN = `LEFT JOIN "Membership" m ON m."roomId" = r.id LEFT JOIN "User" u ON u.id = m."userId" WHERE r.id = $1`;
const MENTIONS = (only: string) => `SELECT m."roomId" AS "roomId", COUNT(*) AS n FROM "Message" m
  JOIN "Membership" mb ON mb."roomId" = m."roomId" AND mb."userId" = $1
  WHERE m.seq > mb."lastReadSeq" AND m."authorId" <> $1 AND m."deletedAt" IS NULL AND m.mentions IS NOT NULL
    AND (m.mentions LIKE $2 ESCAPE '\\' OR m.mentions LIKE '%"room":true%') ${only}
  GROUP BY m."roomId"`;
const CHANNELS = `SELECT 'r' AS kind, "roomId" AS id FROM "Membership" WHERE "userId" = $1
  UNION ALL SELECT 'c', "conversationId" FROM "ConversationMember" WHERE "userId" = $1`;

/** `time` reads a time column under its own name (as is on SQLite, converted on PostgreSQL) */
const SESSION = (time: (column: string, as: string) => string) =>
  `SELECT u.id, u.username, ${time('u."sessionsValidAfter"', "sessionsValidAfter")}, ${time('u."deactivatedAt"', "deactivatedAt")},
    EXISTS (SELECT 1 FROM "RevokedSession" s WHERE s.id = $2) AS revoked
  FROM "User" u WHERE u.id = $1`;

/** `since` is the parameter as the column compares with it (a UTC time on PostgreSQL) */
const SIGNED_OUT = (time: (column: string, as: string) => string, since: string) =>
  `SELECT id, ${time('"sessionsValidAfter"', "sessionsValidAfter")} FROM "User" WHERE "sessionsValidAfter" >= ${since}`;

const PUSHABLE = `SELECT u.id AS "userId", u.username, m.notify FROM "Membership" m JOIN "User" u ON u.id = m."userId"
  WHERE m."roomId" = $1 AND EXISTS (SELECT 1 FROM "PushSubscription" p WHERE p."userId" = m."userId")`;
const SETTINGS = `SELECT key, value FROM "ServerSetting"`;
const OUTGOING = `SELECT w.id, w."roomId", w."botId", u.username AS "botUsername", w.url, w."signingSecret", w.triggers
  FROM "Webhook" w LEFT JOIN "User" u ON u.id = w."botId" WHERE w.kind = 'outgoing' AND w."revokedAt" IS NULL`;

const mentionPattern = (userId: string) => `%"${likeEscape(userId)}"%`;
const counts = (rows: { roomId: string; n: number | string }[]) => new Map(rows.map((r) => [r.roomId, Number(r.n)]));
const channels = (rows: { kind: string; id: string }[]) => ({
  roomIds: rows.flatMap((r) => (r.kind === "r" ? [r.id] : [])),
  conversationIds: rows.flatMap((r) => (r.kind === "c" ? [r.id] : [])),
});

/** SQLite keeps times as milliseconds (server/db.ts); `$1` is `@p1` there (better-sqlite3 binds no numbered parameters). */
export class SqliteHotReads implements HotReads {
  private readonly room: (params: {
    p1: string;
  }) => (RoomMemberRow & Record<"lastMessageAt" | "createdAt" | "archivedAt" | "deactivatedAt", number>)[];
  private readonly mentionsAll: BetterSqlite3.Statement;
  private readonly mentionsIn: BetterSqlite3.Statement;
  private readonly channelRows: BetterSqlite3.Statement;
  private readonly session: BetterSqlite3.Statement;
  private readonly signedOut: BetterSqlite3.Statement;
  private readonly pushable: BetterSqlite3.Statement;
  private readonly settings: BetterSqlite3.Statement;
  private readonly outgoing: BetterSqlite3.Statement;

  constructor(db: BetterSqlite3.Database) {
    const sql = (text: string) => db.prepare(text.replace(/\$(\d)/g, "@p$1"));
    this.room = allAsObjects(
      sql(`SELECT r.id, r.name, r.topic, r."lastSeq", r."lastMessageAt", r."createdAt", r."createdById",
      r.visibility, r."archivedAt", ${MEMBER_COLUMNS}, u."deactivatedAt" FROM "Room" r ${MEMBERS_JOIN}`),
    );
    this.mentionsAll = sql(MENTIONS(""));
    this.mentionsIn = sql(MENTIONS(`AND m."roomId" IN (SELECT value FROM json_each($3))`));
    this.channelRows = sql(CHANNELS);
    this.session = sql(SESSION((column) => column));
    this.signedOut = sql(SIGNED_OUT((column) => column, "$1"));
    this.pushable = sql(PUSHABLE);
    this.settings = sql(SETTINGS);
    this.outgoing = sql(OUTGOING);
  }

  async roomWithMembers(roomId: string): Promise<RoomMemberRow[]> {
    return this.room({ p1: roomId }).map((row) => ({
      ...row,
      lastMessageAt: date(row.lastMessageAt),
      createdAt: new Date(row.createdAt),
      archivedAt: date(row.archivedAt),
      deactivatedAt: date(row.deactivatedAt),
    }));
  }

  async mentionCounts(userId: string, roomIds?: string[]): Promise<Map<string, number>> {
    const rows = roomIds
      ? this.mentionsIn.all({ p1: userId, p2: mentionPattern(userId), p3: JSON.stringify(roomIds) })
      : this.mentionsAll.all({ p1: userId, p2: mentionPattern(userId) });
    return counts(rows as { roomId: string; n: number }[]);
  }

  async channelsOf(userId: string) {
    return channels(this.channelRows.all({ p1: userId }) as { kind: string; id: string }[]);
  }

  async sessionOf(userId: string, sid: string | undefined): Promise<SessionRow | null> {
    type Stored = Omit<SessionRow, "sessionsValidAfter" | "deactivatedAt" | "revoked"> & {
      sessionsValidAfter: number | null;
      deactivatedAt: number | null;
      revoked: number;
    };
    const row = this.session.get({ p1: userId, p2: sid ?? null }) as Stored | undefined;
    if (!row) return null;
    return {
      ...row,
      sessionsValidAfter: date(row.sessionsValidAfter),
      deactivatedAt: date(row.deactivatedAt),
      revoked: row.revoked === 1,
    };
  }

  async signedOutSince(since: Date): Promise<{ id: string; sessionsValidAfter: Date }[]> {
    return (this.signedOut.all({ p1: since.getTime() }) as { id: string; sessionsValidAfter: number }[]).map((row) => ({
      id: row.id,
      sessionsValidAfter: new Date(row.sessionsValidAfter),
    }));
  }

  async pushableMembers(roomId: string): Promise<PushableMember[]> {
    return this.pushable.all({ p1: roomId }) as PushableMember[];
  }

  async serverSettings(): Promise<{ key: string; value: string }[]> {
    return this.settings.all() as { key: string; value: string }[];
  }

  async outgoingWebhooks(): Promise<OutgoingWebhookRow[]> {
    return this.outgoing.all() as OutgoingWebhookRow[];
  }
}

/** PostgreSQL keeps times as UTC in `timestamp(3)`; statements are prepared once per connection (named). */
export class PostgresHotReads implements HotReads {
  constructor(private readonly pool: pg.Pool) {}

  async roomWithMembers(roomId: string): Promise<RoomMemberRow[]> {
    const { rows } = await this.pool.query<RoomMemberRow>({
      name: "komnata-room-with-members",
      text: `SELECT r.id, r.name, r.topic, r."lastSeq", ${utc('r."lastMessageAt"', "lastMessageAt")}, ${utc('r."createdAt"', "createdAt")},
        r."createdById", r.visibility, ${utc('r."archivedAt"', "archivedAt")}, ${MEMBER_COLUMNS},
        ${utc('u."deactivatedAt"', "deactivatedAt")} FROM "Room" r ${MEMBERS_JOIN}`,
      values: [roomId],
    });
    return rows;
  }

  async mentionCounts(userId: string, roomIds?: string[]): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ roomId: string; n: string }>(
      roomIds
        ? {
            name: "komnata-mentions-in",
            text: MENTIONS(`AND m."roomId" = ANY($3::text[])`),
            values: [userId, mentionPattern(userId), roomIds],
          }
        : { name: "komnata-mentions", text: MENTIONS(""), values: [userId, mentionPattern(userId)] },
    );
    return counts(rows);
  }

  async channelsOf(userId: string) {
    const { rows } = await this.pool.query<{ kind: string; id: string }>({
      name: "komnata-channels",
      text: CHANNELS,
      values: [userId],
    });
    return channels(rows);
  }

  async sessionOf(userId: string, sid: string | undefined): Promise<SessionRow | null> {
    const { rows } = await this.pool.query<SessionRow>({
      name: "komnata-session",
      text: SESSION(utc),
      values: [userId, sid ?? null],
    });
    return rows[0] ?? null;
  }

  async signedOutSince(since: Date): Promise<{ id: string; sessionsValidAfter: Date }[]> {
    const { rows } = await this.pool.query<{ id: string; sessionsValidAfter: Date }>({
      name: "komnata-signed-out-since",
      text: SIGNED_OUT(utc, `($1::timestamptz AT TIME ZONE 'UTC')`),
      values: [since],
    });
    return rows;
  }

  async pushableMembers(roomId: string): Promise<PushableMember[]> {
    const { rows } = await this.pool.query<PushableMember>({
      name: "komnata-pushable-members",
      text: PUSHABLE,
      values: [roomId],
    });
    return rows;
  }

  async serverSettings(): Promise<{ key: string; value: string }[]> {
    const { rows } = await this.pool.query<{ key: string; value: string }>({ name: "komnata-server-settings", text: SETTINGS });
    return rows;
  }

  async outgoingWebhooks(): Promise<OutgoingWebhookRow[]> {
    const { rows } = await this.pool.query<OutgoingWebhookRow>({ name: "komnata-outgoing-webhooks", text: OUTGOING });
    return rows;
  }
}
