import type { AroundPage, Page, SyncPage, WireDirectMessage, WireMessage } from "@/server/protocol";
import type { ThreadMessage } from "./message-list";

/** Where a thread's messages come from: a room or a private conversation. */
export interface ThreadSource<M extends ThreadMessage> {
  /** names the thread among a person's threads ("room:<id>", "dm:<username>"): what the browser keeps for it is under this */
  key: string;
  /** The newest page, on entering (and the place to load what goes with it). */
  enter(): Promise<Page<M>>;
  before(seq: number): Promise<Page<M>>;
  /** The page just after `seq` (filling a gap: the list holds older messages apart from the newest). */
  after(seq: number): Promise<Page<M>>;
  /** The messages around `seq` (a search result, a link to an old message), loaded apart from the rest. */
  around(seq: number): Promise<AroundPage<M>>;
  /** The change feed: every message created or changed after `rev` (room:sync / dm:sync). */
  sync(rev: number): Promise<SyncPage<M>>;
  /** Sends a message (a reply to `replyTo`, a message id of this thread). */
  send(body: string, clientMsgId: string, replyTo?: string): Promise<M>;
  /** Adds (or takes back) my reaction to a message; resolves with it as stored. */
  react(messageId: string, emoji: string, add: boolean): Promise<M>;
  /** The page's path that opens this thread at message `seq` (a link to a message). */
  linkTo(seq: number): string;
  /** Changes one of my messages' body; resolves with it as stored. */
  edit(messageId: string, body: string): Promise<M>;
  /** Deletes one of my messages; resolves with its tombstone. */
  remove(messageId: string): Promise<M>;
  /** Shares a file (files/upload-file.ts): resolves with the message carrying it. */
  upload(file: File, clientMsgId: string, onProgress: (fraction: number) => void): { done: Promise<M>; cancel(): void };
  /** The live event that carries this kind of thread's new messages. */
  event: "message:new" | "dm:new";
  /** The live event that carries its edited and deleted messages. */
  updated: "message:updated" | "dm:updated";
  /** The message if it belongs to this thread, else null. */
  own(message: WireMessage | WireDirectMessage): M | null;
  /** Tells the others I am typing here (a signal: no answer). */
  typing(): void;
  /** The live event that says someone else is typing here. */
  typingEvent: "typing" | "dm:typing";
  /** Whether an event about a room or a conversation is about this thread. */
  here(event: { roomId: string } | { conversationId: string }): boolean;
  /**
   * Marks everything up to `seq` read (use-thread-messages.ts decides when, and only forward);
   * with `all` (Escape), also after "mark as unread", and the "New messages" line goes.
   */
  seen?(seq: number, all?: boolean): Promise<unknown>;
  /** Moves my read mark back to just before `seq` ("mark as unread"). */
  markUnread?(seq: number): Promise<void>;
}
