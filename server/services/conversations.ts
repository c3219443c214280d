// Private conversations between two users: one per pair, created by the first message.
import { randomUUID } from "node:crypto";
import type { Db } from "../db.ts";
import type {
  AroundPage,
  ConversationSummary,
  Page,
  PageCursor,
  PublicUser,
  ReadMark,
  SyncPage,
  WireDirectMessage,
} from "../protocol/index.ts";
import { AppError, isUniqueViolation } from "./errors.ts";
import { around, type DirectMessageStore } from "./message-store/index.ts";
import { keysOf } from "./name-keys.ts";
import { movedMark } from "./read-mark.ts";

const summarySelect = {
  id: true,
  lastSeq: true,
  lastMessageAt: true,
  members: { select: { lastReadSeq: true, user: { select: { id: true, username: true } } } },
} as const;

type SummaryRow = {
  id: string;
  lastSeq: number;
  lastMessageAt: Date | null;
  members: { lastReadSeq: number; user: PublicUser }[];
};

export class ConversationService {
  constructor(
    private readonly db: Db,
    private readonly online: { isOnline(userId: string): boolean },
    private readonly messages: DirectMessageStore,
  ) {}

  private summary(user: PublicUser, row: SummaryRow): ConversationSummary {
    const me = row.members.find((m) => m.user.id === user.id);
    const other = row.members.find((m) => m.user.id !== user.id)?.user ?? user;
    return {
      id: row.id,
      with: { id: other.id, username: other.username, online: this.online.isOnline(other.id) },
      lastSeq: row.lastSeq,
      lastMessageAt: row.lastMessageAt?.toISOString() ?? null,
      unread: Math.max(0, row.lastSeq - (me?.lastReadSeq ?? 0)),
    };
  }

  /** The conversation between `user` and `username`, created if it does not exist yet. */
  async open(user: PublicUser, username: string): Promise<{ conversation: ConversationSummary; created: boolean }> {
    const other = await this.db.user.findFirst({
      where: { usernameKey: { in: keysOf(username) } },
      select: { id: true, username: true, deactivatedAt: true },
    });
    if (!other) throw new AppError("not_found", `No user named "${username}".`);
    if (other.deactivatedAt)
      throw new AppError("forbidden", `${other.username}'s account was deactivated: they cannot read messages.`);
    if (other.id === user.id) throw new AppError("invalid_input", "You cannot send a private message to yourself.");
    const pairKey = [user.id, other.id].sort().join(":");
    const existing = await this.db.conversation.findUnique({ where: { pairKey }, select: summarySelect });
    if (existing) return { conversation: this.summary(user, existing), created: false };
    try {
      const row = await this.db.conversation.create({
        data: { id: randomUUID(), pairKey, members: { create: [{ userId: user.id }, { userId: other.id }] } },
        select: summarySelect,
      });
      return { conversation: this.summary(user, row), created: true };
    } catch (error) {
      // both wrote first at the same moment
      if (!isUniqueViolation(error)) throw error;
      const row = await this.db.conversation.findUniqueOrThrow({ where: { pairKey }, select: summarySelect });
      return { conversation: this.summary(user, row), created: false };
    }
  }

  /** The user's conversations, newest activity first, with unread counts. */
  async list(user: PublicUser): Promise<ConversationSummary[]> {
    const rows = await this.db.conversation.findMany({
      where: { members: { some: { userId: user.id } } },
      select: summarySelect,
      orderBy: [{ activityAt: "desc" }, { id: "asc" }],
    });
    return rows.map((row) => this.summary(user, row));
  }

  /** Throws unless `user` takes part in the conversation: not_found when there is none, else forbidden. */
  async assertParticipant(user: PublicUser, conversationId: string): Promise<void> {
    const member = await this.db.conversationMember.findUnique({
      where: { conversationId_userId: { conversationId, userId: user.id } },
    });
    if (member) return;
    const exists = await this.db.conversation.findUnique({ where: { id: conversationId }, select: { id: true } });
    if (!exists) throw new AppError("not_found", "No such conversation.");
    throw new AppError("forbidden", "Only the two participants can read this conversation.");
  }

  /** The conversations of `userId` with messages they have not read, and how many each. */
  async unreadOf(userId: string): Promise<{ conversationId: string; lastSeq: number; unread: number }[]> {
    const rows = await this.db.conversationMember.findMany({
      where: { userId },
      select: { conversationId: true, lastReadSeq: true, conversation: { select: { lastSeq: true } } },
    });
    return rows
      .map((r) => ({
        conversationId: r.conversationId,
        lastSeq: r.conversation.lastSeq,
        unread: r.conversation.lastSeq - r.lastReadSeq,
      }))
      .filter((r) => r.unread > 0);
  }

  /**
   * Moves `user`'s read mark forward to `seq` (never back, never past the last message); or,
   * with `back` (mark as unread), to just before `seq`. Answers where it is and what is unread.
   */
  async markRead(user: PublicUser, conversationId: string, seq: number, back = false): Promise<ReadMark> {
    const conversation = await this.db.conversation.findUnique({ where: { id: conversationId }, select: { lastSeq: true } });
    if (!conversation) throw new AppError("not_found", "No such conversation.");
    const where = { conversationId_userId: { conversationId, userId: user.id } };
    const member = await this.db.conversationMember.findUnique({ where, select: { lastReadSeq: true } });
    if (!member) throw new AppError("forbidden", "Only the two participants can read this conversation.");
    const lastReadSeq = movedMark(member.lastReadSeq, seq, conversation.lastSeq, back);
    if (lastReadSeq !== member.lastReadSeq) await this.db.conversationMember.update({ where, data: { lastReadSeq } });
    const unread = conversation.lastSeq - lastReadSeq;
    // a private message calls for its reader: every unread one counts as a mention
    return { lastReadSeq, unread, mentions: unread };
  }

  /** A page of the conversation (MessageStore.page); callers check participation first. */
  history(conversationId: string, cursor: PageCursor, limit: number): Promise<Page<WireDirectMessage>> {
    return this.messages.page(conversationId, cursor, limit);
  }

  /** Messages around `seq` (a search result, a link to a message); callers check participation first. */
  around(conversationId: string, seq: number, limit: number): Promise<AroundPage<WireDirectMessage>> {
    return around(this.messages, conversationId, seq, limit);
  }

  /** The conversation's change feed after `afterRev`; callers check participation first. */
  sync(conversationId: string, afterRev: number, limit: number): Promise<SyncPage<WireDirectMessage>> {
    return this.messages.sync(conversationId, afterRev, limit);
  }
}
