// One signed-in terminal session: which room you are in, what has been printed, sends not yet
// acknowledged. Everything the client does goes through it, so it holds all the state there is.
import {
  type ClientEvent,
  type Input,
  newClientMsgId,
  type ProtocolSocket,
  type Replies,
  type RoomSummary,
  request,
  sendRequest,
  type WireDirectMessage,
  type WireMessage,
  type WireMessageBase,
} from "../../server/protocol/index.ts";
import type { Api } from "./api.ts";
import { Render } from "./render.ts";
import { problemText, type Say, sayer } from "./words.ts";

/** Where the session writes: lines (which never break the one being typed) and the prompt. */
export interface Output {
  print(line: string): void;
  setPrompt(prompt: string): void;
}

const REQUEST_TIMEOUT_MS = 15_000;
/** How a line that calls for me starts, and what rings the terminal's bell (it prints nothing). */
export const MARK = "» ";
export const BELL = "\x07";

export class Session {
  current: RoomSummary | null = null;
  /** per room: every message up to this seq has been printed */
  private readonly lastSeq = new Map<string, number>();
  /** per room: messages printed past a gap, above lastSeq */
  private readonly ahead = new Map<string, Set<number>>();
  private readonly oldestSeq = new Map<string, number>();
  private readonly roomNames = new Map<string, string>();
  /** Sends without an ack yet, resent with the same clientMsgId after a reconnect (the server keeps one copy). */
  private readonly unacked = new Map<string, Input<"message:send">>();
  private catchingUp: Promise<void> | null = null;
  /** Private messages print wherever you are, each once. */
  private readonly seenDirect = new Set<string>();
  /** per room: the highest rev seen (where a change-feed sync resumes) */
  private readonly revs = new Map<string, number>();
  /** the files printed so far, so /download and /unshare take a short prefix of an id (like git) */
  private readonly files = new Set<string>();
  /** per message: what was printed of it (its edit, deletion and reactions), so a change prints once */
  private readonly printed = new Map<string, string[]>();

  constructor(
    readonly socket: ProtocolSocket,
    readonly api: Api,
    readonly token: string,
    readonly username: string,
    private readonly out: Output,
    /** where relative paths in /upload and /download start */
    readonly here: string,
    /** the language it speaks (words.ts) */
    readonly locale = "en",
  ) {
    this.say = sayer(locale);
    this.render = new Render(this.say, locale);
  }

  readonly say: Say;
  readonly render: Render;

  /** A terminal message (`terminal.<key>`) in the session's language. */
  t(key: string, values?: Record<string, string | number>): string {
    return this.say(`terminal.${key}`, values);
  }

  /** What a refused request or failed call means, in words (`context`: where, for a better one). */
  problem(error: unknown, context?: string, values?: Record<string, string | number>): string {
    return problemText(this.say, error, context, values);
  }

  print(line: string): void {
    this.out.print(line);
  }

  notice(line: string): void {
    this.out.print(`* ${line}`);
  }

  /** Whether a live room message calls for me: mentions me by name, @room or @here, and is not mine. */
  calls(m: WireMessage): boolean {
    if (m.author.username === this.username) return false;
    return m.mentions.names.includes(this.username.toLowerCase()) || m.mentions.room || m.mentions.here;
  }

  /** A line that calls for me: marked with » at its start, and the terminal's bell rung. */
  private marked(line: string): string {
    return `${MARK}${line}${BELL}`;
  }

  /** A notice that calls for me (a mention in another room), marked and rung like a line. */
  callingNotice(line: string): void {
    this.out.print(this.marked(`* ${line}`));
  }

  call<E extends ClientEvent>(event: E, payload: Input<E>): Promise<Replies[E]> {
    return request(this.socket, event, payload, REQUEST_TIMEOUT_MS);
  }

  get pendingSends(): number {
    return this.unacked.size;
  }

  setPrompt(): void {
    this.out.setPrompt(this.current ? `#${this.current.name}> ` : "> ");
  }

  /**
   * A room message, unless it was printed already (live, on the ack, or in a catch-up). One that
   * arrives after a later one (several nodes deliver in their own order) is still printed; one
   * that arrives over a gap sends for what is missing. A `live` one that calls for me is marked
   * and rings the bell.
   */
  show(m: WireMessage, live = false): void {
    this.revs.set(m.roomId, Math.max(this.revs.get(m.roomId) ?? 0, m.rev));
    const edge = this.lastSeq.get(m.roomId) ?? 0;
    const ahead = this.ahead.get(m.roomId) ?? new Set<number>();
    if (m.seq <= edge || ahead.has(m.seq)) return;
    if (!this.oldestSeq.has(m.roomId)) this.oldestSeq.set(m.roomId, m.seq);
    this.printed.set(m.id, this.render.state(m));
    this.noteFile(m);
    const lines = this.render.roomMessage(m);
    if (live && this.calls(m)) lines[0] = this.marked(lines[0]);
    for (const line of lines) this.print(line);
    if (m.seq !== edge + 1) {
      ahead.add(m.seq);
      this.ahead.set(m.roomId, ahead);
      if (m.roomId === this.current?.id) void this.catchUp().catch((e: Error) => this.notice(e.message));
      return;
    }
    // the edge moves on over what had arrived early
    let next = m.seq;
    while (ahead.delete(next + 1)) next += 1;
    this.lastSeq.set(m.roomId, next);
  }

  /**
   * A changed message (live, or from the change feed): one not printed yet prints as it is now;
   * one printed before gets a line for each thing that changed since (an edit, its deletion,
   * its reactions), once. A new reply count or quote prints nothing: the reply itself was printed.
   */
  showChange(m: WireMessage): void {
    const edge = this.lastSeq.get(m.roomId) ?? 0;
    if (m.seq > edge) {
      this.show(m);
      return;
    }
    this.revs.set(m.roomId, Math.max(this.revs.get(m.roomId) ?? 0, m.rev));
    const now = this.render.state(m);
    const before = this.printed.get(m.id) ?? now;
    this.printed.set(m.id, now);
    for (const line of this.render.changes(m, before, now)) this.notice(line);
  }

  private noteFile(m: WireMessageBase): void {
    if (m.file && !m.file.removed) this.files.add(m.file.id);
  }

  /**
   * The file id a word means: an id, or the start of exactly one printed file's id. Throws when
   * it could be several; a word that starts none is passed on as it is (the server decides).
   */
  fileId(word: string): string {
    if (this.files.has(word)) return word;
    const matches = [...this.files].filter((id) => id.startsWith(word));
    if (matches.length > 1) throw new Error(this.t("ambiguousFile", { prefix: word, count: matches.length }));
    return matches[0] ?? word;
  }

  /** The printed file ids that start with `prefix` (Tab completion). */
  fileIdsStartingWith(prefix: string): string[] {
    return [...this.files].filter((id) => id.startsWith(prefix));
  }

  /** A private conversation's newest messages, as /dm USER shows them. */
  async conversationWith(username: string, limit = 20): Promise<void> {
    const { conversations } = await this.call("dm:list", {});
    const found = conversations.find((c) => c.with.username.toLowerCase() === username.toLowerCase());
    if (!found) {
      await this.call("user:get", { username }).catch((error: unknown) => {
        throw new Error(this.problem(error, "conversation", { username }));
      });
      return this.notice(this.t("noConversationWith", { username }));
    }
    const page = await this.call("dm:history", { conversationId: found.id, limit });
    this.notice(this.t("conversationWith", { username: found.with.username }));
    for (const m of page.messages) {
      this.seenDirect.add(m.id);
      this.noteFile(m);
      this.print(this.render.privateMessage(m, this.username));
    }
    const last = page.messages.at(-1);
    if (last) await this.call("dm:read", { conversationId: found.id, seq: last.seq });
  }

  /** The last search, for `/search` alone (the next results). */
  private lastSearch: { query: string; cursor: string | null } | null = null;

  /**
   * Searches messages (`query`: words, "phrases", from:, in:, has:, before:, after:, on:, as
   * in the browser), newest first, each with the command that shows it in its place; `null`:
   * the next results of the last search.
   */
  async search(query: string | null): Promise<void> {
    const asked = query ?? this.lastSearch?.query;
    if (!asked) return this.notice(this.t("usage", { usage: this.say("terminal.commands.search.usage") }));
    if (query === null && !this.lastSearch?.cursor) return this.notice(this.t("noMoreResults"));
    const cursor = query === null ? this.lastSearch?.cursor : null;
    const found = await this.call("search", { query: asked.slice(0, 256), limit: 10, cursor }).catch((error: unknown) => {
      throw new Error(this.problem(error, "search"));
    });
    this.lastSearch = { query: asked, cursor: found.cursor };
    if (found.results.length === 0 && query !== null) return this.notice(this.t("noResults", { query: asked }));
    if (query !== null) this.notice(this.t("resultsFor", { query: asked }));
    for (const r of found.results) {
      if (r.room) this.roomNames.set(r.room.id, r.room.name);
      for (const line of this.render.searchResult(r)) this.print(line);
    }
    if (found.cursor) this.notice(this.t("moreResults"));
  }

  /** The messages around #seq of a room (`#name`) or of my conversation with someone (`@name`), it marked. */
  async showAround(where: string, seq: number): Promise<void> {
    const name = where.slice(1);
    const page = where.startsWith("#") ? await this.aroundInRoom(name, seq) : await this.aroundInConversation(name, seq);
    if (!page) return;
    const { messages, hasMoreAfter } = page;
    if (!messages.some((m) => m.seq === seq)) return this.notice(this.t("noMessage", { seq }));
    for (const m of messages) {
      this.noteFile(m);
      const lines = "roomId" in m ? this.render.roomMessage(m) : [this.render.privateMessage(m, this.username)];
      if (m.seq === seq) lines[0] = `${MARK}${lines[0]}`;
      for (const line of lines) this.print(line);
    }
    if (hasMoreAfter) this.notice(this.t("laterMessages"));
  }

  private async aroundInRoom(name: string, seq: number) {
    const key = name.toLowerCase();
    const known = [...this.roomNames].find(([, n]) => n.toLowerCase() === key)?.[0];
    const roomId = known ?? (await this.listRooms(key)).rooms.find((r) => r.name.toLowerCase() === key)?.id;
    if (!roomId) return void this.notice(this.t("noRoomNamed", { name }));
    this.notice(this.t("aroundIn", { place: `#${this.roomNames.get(roomId) ?? name}`, seq }));
    return this.call("room:around", { roomId, seq, limit: 11 }).catch((error: unknown) => {
      throw new Error(this.problem(error, "room"));
    });
  }

  private async aroundInConversation(username: string, seq: number) {
    const { conversations } = await this.call("dm:list", {});
    const found = conversations.find((c) => c.with.username.toLowerCase() === username.toLowerCase());
    if (!found) return void this.notice(this.t("noConversationWith", { username }));
    this.notice(this.t("aroundIn", { place: `@${found.with.username}`, seq }));
    return this.call("dm:around", { conversationId: found.id, seq, limit: 11 });
  }

  /** A message of the current room by its seq (the number printed with it), from the server. */
  async messageAt(seq: number): Promise<WireMessage | null> {
    const room = this.current;
    if (!room) return null;
    const page = await this.call("room:history", { roomId: room.id, afterSeq: seq - 1, limit: 1 });
    return page.messages[0]?.seq === seq ? page.messages[0] : null;
  }

  showDirect(m: WireDirectMessage): void {
    if (this.seenDirect.has(m.id)) return;
    this.seenDirect.add(m.id);
    this.noteFile(m);
    const line = this.render.privateMessage(m, this.username);
    // a private message to me calls for me
    this.print(m.author.username === this.username ? line : this.marked(line));
  }

  /** The most active rooms (50), or those whose name contains `query`. */
  async listRooms(query?: string): Promise<{ rooms: RoomSummary[]; hasMore: boolean }> {
    const page = await this.call("room:list", { query: query || undefined, limit: 50 });
    for (const r of page.rooms) this.roomNames.set(r.id, r.name);
    return page;
  }

  roomName(roomId: string): string | undefined {
    return this.roomNames.get(roomId);
  }

  async printLobby(query?: string): Promise<void> {
    const { rooms, hasMore } = await this.listRooms(query);
    if (rooms.length === 0) {
      this.notice(query ? this.t("noRoomMatches", { query }) : this.t("noRooms"));
      return;
    }
    this.notice(
      query ? this.t("roomsMatching", { query }) : this.t(hasMore ? "roomsMostActive" : "roomsAll", { count: rooms.length }),
    );
    for (const r of rooms) this.print(this.render.lobbyLine(r));
    if (hasMore) this.notice(this.t("moreRooms"));
  }

  async enter(room: RoomSummary): Promise<void> {
    const joined = await this.call("room:join", { roomId: room.id });
    const current = joined.room;
    this.current = current;
    this.roomNames.set(current.id, current.name);
    this.notice(
      current.topic
        ? this.t("youAreInTopic", { room: current.name, topic: current.topic })
        : this.t("youAreIn", { room: current.name }),
    );
    this.oldestSeq.delete(current.id);
    this.ahead.delete(current.id);
    this.lastSeq.set(current.id, (joined.messages[0]?.seq ?? 1) - 1);
    for (const m of joined.messages) this.show(m);
    this.setPrompt();
  }

  /** A room changed (room:updated): the current one keeps up, and says when it was (un)archived. */
  roomUpdated(room: RoomSummary): void {
    this.roomNames.set(room.id, room.name);
    if (this.current?.id !== room.id) return;
    const { archived } = this.current;
    this.current = { ...this.current, name: room.name, topic: room.topic, visibility: room.visibility, archived: room.archived };
    if (archived !== room.archived) this.notice(this.t(room.archived ? "archivedRoom" : "unarchivedRoom", { room: room.name }));
    this.setPrompt();
  }

  /** The current room is no longer mine (I was removed from it): back to no room. */
  leftCurrent(): void {
    this.current = null;
    this.setPrompt();
  }

  async leave(): Promise<void> {
    if (!this.current) return;
    await this.call("room:leave", { roomId: this.current.id });
    this.notice(this.t("youLeft", { room: this.current.name }));
    this.current = null;
    this.setPrompt();
  }

  /** Older messages of the current room, a page before the oldest one printed. */
  async older(limit = 20): Promise<void> {
    const room = this.current;
    if (!room) return;
    const before = this.oldestSeq.get(room.id);
    if (before === undefined || before <= 1) {
      this.notice(this.t("beginning"));
      return;
    }
    const page = await this.call("room:history", { roomId: room.id, beforeSeq: before, limit });
    this.notice(this.t("earlierIn", { room: room.name }));
    for (const m of page.messages) {
      this.noteFile(m);
      for (const line of this.render.roomMessage(m)) this.print(line);
    }
    if (page.messages[0]) this.oldestSeq.set(room.id, page.messages[0].seq);
    if (!page.hasMore) this.notice(this.t("beginning"));
  }

  /** What the current room said while we were away (or over a gap), page by page, without duplicates. */
  catchUp(): Promise<void> {
    this.catchingUp ??= this.fetchMissing().finally(() => {
      this.catchingUp = null;
    });
    return this.catchingUp;
  }

  private async fetchMissing(): Promise<void> {
    const room = this.current;
    if (!room) return;
    let after = this.lastSeq.get(room.id) ?? 0;
    for (let hasMore = true; hasMore; ) {
      const page = await this.call("room:history", { roomId: room.id, afterSeq: after, limit: 100 });
      for (const m of page.messages) this.show(m);
      after = page.messages.at(-1)?.seq ?? after;
      hasMore = page.hasMore && page.messages.length > 0;
    }
  }

  /** Sends a line to the current room (a reply to `replyTo`); kept for a resend if the connection drops first. */
  async send(body: string, replyTo?: string): Promise<void> {
    if (!this.current) {
      this.notice(this.t("notInRoomSend"));
      return;
    }
    if (this.current.archived) {
      this.notice(this.t("archivedNoSend", { room: this.current.name }));
      return;
    }
    const item = { roomId: this.current.id, body, clientMsgId: newClientMsgId(), replyTo };
    this.unacked.set(item.clientMsgId, item);
    try {
      const { message } = await this.call("message:send", item);
      this.unacked.delete(item.clientMsgId);
      this.show(message);
    } catch (error) {
      if (this.socket.connected) {
        this.unacked.delete(item.clientMsgId);
        this.notice(this.t("notSent", { reason: this.problem(error, "send") }));
      } else this.notice(this.t("notSentYet"));
    }
  }

  /** After a reconnect: what was not acknowledged goes again (same clientMsgId), then the catch-up. */
  async resume(): Promise<void> {
    const resent = [...this.unacked.values()].map(async (item) => {
      const reply = await sendRequest(this.socket, "message:send", item, REQUEST_TIMEOUT_MS).catch(() => null);
      if (!reply) return;
      this.unacked.delete(item.clientMsgId);
      if (reply.ok) this.show(reply.message);
      else this.notice(this.t("notSent", { reason: this.problem(reply.error, "send") }));
    });
    await Promise.all([...resent, this.catchUp()]);
    await this.syncChanges();
  }

  /** What changed in the current room while we were away (the change feed after our rev). */
  private async syncChanges(): Promise<void> {
    const room = this.current;
    if (!room) return;
    for (let more = true; more; ) {
      const page = await this.call("room:sync", { roomId: room.id, afterRev: this.revs.get(room.id) ?? 0, limit: 200 });
      for (const m of page.messages) this.showChange(m);
      this.revs.set(room.id, Math.max(this.revs.get(room.id) ?? 0, page.rev));
      more = page.hasMore && page.messages.length > 0;
    }
  }
}
