// Posting a message: persist through the queue, then announce it. One implementation behind
// message:send, dm:send and a shared file's upload; callers check that the user may post there.

import type { FileService } from "../files/files.ts";
import { findMentions, type PublicUser, storedMentions, type WireDirectMessage, type WireMessage } from "../protocol/index.ts";
import type { MessageQueue } from "../queue/message-queue.ts";
import type { ConversationService } from "./conversations.ts";
import type { Changed, MessageChange, Outcome, OutgoingMessage, Stored } from "./messages.ts";
import type { Notifier } from "./notifier.ts";

export interface Posted<W> {
  message: W;
  /** false when the clientMsgId was already stored: this send changed nothing */
  created: boolean;
  /**
   * Tells everyone in the room or conversation (nothing for a repeat, announced the first time),
   * but the connection `from` that sent it: its answer carries the message. Callers run it once
   * that answer is on its way.
   */
  announce(from?: string): void;
}

/** A send's outcome: its refusal (a reply to a message that is not there) thrown. */
function stored<W>(outcome: Outcome<W>): Stored<W> {
  if ("refused" in outcome) throw outcome.refused;
  return outcome as Stored<W>;
}

/** What finding a room message's mentions needs: who can read it, and who is online now (for @here). */
export interface MentionSources {
  readers(roomId: string): Promise<PublicUser[]>;
  isOnline(userId: string): boolean;
}

/** Who hears of a message stored on this node besides its readers' sockets (Web Push, server/push/push.ts). */
export interface StoredHooks {
  afterRoomMessage(message: WireMessage): void;
  afterDirectMessage(message: WireDirectMessage): void;
}

export class PostingService {
  constructor(
    private readonly rooms: MessageQueue<WireMessage>,
    private readonly directMessages: MessageQueue<WireDirectMessage>,
    private readonly conversations: ConversationService,
    private readonly notifier: Notifier,
    private readonly files: FileService,
    private readonly mentionSources: MentionSources,
    private readonly stored?: StoredHooks,
  ) {}

  /** A room message's mentions as stored, found among the room's members now (no query without an @). */
  private async mentionsIn(roomId: string, body: string): Promise<string | null> {
    if (!body.includes("@")) return null;
    const readers = await this.mentionSources.readers(roomId);
    return storedMentions(findMentions(body, readers), (id) => this.mentionSources.isOnline(id), readers);
  }

  /** Sends waiting to be written, in rooms and conversations. */
  get queued(): number {
    return this.rooms.size + this.directMessages.size;
  }

  async toRoom(roomId: string, outgoing: OutgoingMessage): Promise<Posted<WireMessage>> {
    const mentions = await this.mentionsIn(roomId, outgoing.body);
    const { message, created, alsoChanged } = stored(
      await this.rooms.enqueue(roomId, outgoing.author.id, { ...outgoing, mentions }),
    );
    return {
      message,
      created,
      // the sender's other tabs get it like everyone else; then the original a reply counts on
      announce: (from) => {
        if (!created) return;
        this.notifier.toRoom(roomId, "message:new", message, from);
        this.stored?.afterRoomMessage(message);
        for (const other of alsoChanged) this.notifier.toRoom(roomId, "message:updated", other);
      },
    };
  }

  /**
   * The id of the conversation a request names: `conversationId` as given, or the one with
   * `toUsername`, created on first use (and then joined by every connection of both people).
   */
  async conversationFor(user: PublicUser, target: { toUsername?: string; conversationId?: string }): Promise<string> {
    if (target.toUsername === undefined) return target.conversationId as string;
    const { conversation, created } = await this.conversations.open(user, target.toUsername);
    if (created) this.notifier.joinConversation([user.id, conversation.with.id], conversation.id);
    return conversation.id;
  }

  /**
   * A message to someone offline is stored and counted unread for them until they read it; the
   * author's own read mark moves past it in the same transaction.
   */
  async toConversation(conversationId: string, outgoing: OutgoingMessage): Promise<Posted<WireDirectMessage>> {
    const { message, created, alsoChanged } = stored(
      await this.directMessages.enqueue(conversationId, outgoing.author.id, outgoing),
    );
    return {
      message,
      created,
      announce: (from) => {
        if (!created) return;
        this.notifier.toConversation(conversationId, "dm:new", message, from);
        this.stored?.afterDirectMessage(message);
        for (const other of alsoChanged) this.notifier.toConversation(conversationId, "dm:updated", other);
      },
    };
  }

  /**
   * Edits, deletes or reacts to a room message, in order with the room's sends (the same queue),
   * persisted before the answer; then every member is told (`message:updated`), of the message
   * and of any other it changed (replies quoting it, the original a deleted reply counted on).
   */
  async changeInRoom(roomId: string, change: MessageChange): Promise<Posted<WireMessage>> {
    // an edit mentions whom its new text mentions (a name taken out no longer counts)
    const job = change.kind === "edit" ? { ...change, mentions: await this.mentionsIn(roomId, change.body) } : change;
    const changed = await this.settle(await this.rooms.enqueue(roomId, change.author.id, job));
    return {
      message: changed.message,
      created: false,
      announce: () => {
        if (!changed.changed) return;
        for (const m of [changed.message, ...changed.alsoChanged]) this.notifier.toRoom(roomId, "message:updated", m);
      },
    };
  }

  /** changeInRoom for a private message (`dm:updated` to both participants). */
  async changeInConversation(conversationId: string, change: MessageChange): Promise<Posted<WireDirectMessage>> {
    const changed = await this.settle(await this.directMessages.enqueue(conversationId, change.author.id, change));
    return {
      message: changed.message,
      created: false,
      announce: () => {
        if (!changed.changed) return;
        for (const m of [changed.message, ...changed.alsoChanged]) {
          this.notifier.toConversation(conversationId, "dm:updated", m);
        }
      },
    };
  }

  /** A change's outcome: its refusal thrown, and the bytes of a deleted message's file removed. */
  private async settle<W>(outcome: Outcome<W>): Promise<Changed<W>> {
    if ("refused" in outcome) throw outcome.refused;
    const changed = outcome as Changed<W>;
    if (changed.removedFile) await this.files.deleteBytes(changed.removedFile.id, changed.removedFile.thumbnail);
    return changed;
  }

  /** Stops taking sends and resolves once every accepted one is written. */
  async close(): Promise<void> {
    await Promise.all([this.rooms.close(), this.directMessages.close()]);
  }
}
