// Message search (decision 015): a query read by the shared parser, its filters resolved to ids
// (people, rooms, conversations, days in the reader's time zone), the index asked, and the hits
// answered as whole messages with where they were written and where the terms matched.
import type { Db } from "../../db.ts";
import type { Parsed } from "../../protocol/events.ts";
import type { PublicUser, SearchResult, SearchResults, WireDirectMessage, WireMessage } from "../../protocol/index.ts";
import {
  asksForSomething,
  highlightRanges,
  parseSearchQuery,
  type SearchQuery,
  SearchQueryError,
  type TermPattern,
  termPattern,
} from "../../protocol/search.ts";
import { AppError } from "../errors.ts";
import type { MessageStores } from "../message-store/index.ts";
import { keysOf } from "../name-keys.ts";
import type { UserService } from "../users.ts";
import type { SearchFilter } from "./backend.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The moment a day (YYYY-MM-DD) begins in `timeZone`. */
export function startOfDay(day: string, timeZone: string): Date {
  const utc = Date.parse(`${day}T00:00:00Z`);
  // the zone's offset at that moment (and again at the corrected one, for a day a clock moves)
  const offset = (at: number) => {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    }).formatToParts(new Date(at));
    const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second")) - at;
  };
  const first = utc - offset(utc);
  return new Date(utc - offset(first));
}

/** A cursor as the client holds it: "n<id>" (below this hit, newest first) or "b<offset>" (best first). */
function readCursor(cursor: string | null | undefined, order: "newest" | "best"): number {
  if (!cursor) return 0;
  const match = /^([nb])(\d{1,15})$/.exec(cursor);
  if (!match || (match[1] === "n") !== (order === "newest"))
    throw new AppError("invalid_input", "cursor: not one this search gave");
  return Number(match[2]);
}

export class SearchService {
  constructor(
    private readonly db: Db,
    private readonly stores: MessageStores,
    private readonly users: UserService,
  ) {}

  async search(user: PublicUser, input: Parsed<"search">): Promise<SearchResults> {
    let query: SearchQuery;
    try {
      query = parseSearchQuery(input.query);
    } catch (error) {
      if (error instanceof SearchQueryError) throw new AppError("invalid_input", error.message);
      throw error;
    }
    if (!asksForSomething(query)) throw new AppError("invalid_input", "Type something to search for.");
    const patterns = query.terms.map(termPattern).filter((p): p is TermPattern => p !== null);
    const { order, limit } = input;
    const cursor = readCursor(input.cursor, order);
    const filter: SearchFilter = {
      userId: user.id,
      patterns,
      within: await this.within(user, query, input),
      authorIds: query.from.length === 0 ? null : await this.userIds(query.from),
      has: query.has,
      ...(await this.period(user, query)),
      order,
      cursor,
      limit: limit + 1,
    };
    const hits = await this.stores.search.find(filter);
    const more = hits.length > limit;
    const shown = hits.slice(0, limit);
    const results = await this.answer(user, shown, query.terms);
    const last = shown.at(-1);
    return { results, cursor: more && last ? (order === "newest" ? `n${last.id}` : `b${cursor + limit}`) : null };
  }

  /** The rooms and conversations asked for (by id, or `in:` in the query); null: all of the reader's. */
  private async within(user: PublicUser, query: SearchQuery, input: Parsed<"search">) {
    if (input.roomId) return { roomIds: [input.roomId], conversationIds: [] };
    if (input.conversationId) return { roomIds: [], conversationIds: [input.conversationId] };
    if (query.in.length === 0) return null;
    const people = query.in.filter((name) => name.startsWith("@")).map((name) => name.slice(1));
    const rooms = query.in.filter((name) => !name.startsWith("@")).flatMap((name) => keysOf(name.replace(/^#/, "")));
    const [roomRows, peopleIds] = await Promise.all([
      rooms.length === 0 ? [] : this.db.room.findMany({ where: { nameKey: { in: rooms } }, select: { id: true } }),
      people.length === 0 ? ([] as string[]) : this.userIds(people),
    ]);
    const conversations =
      peopleIds.length === 0
        ? []
        : await this.db.conversationMember.findMany({
            where: {
              userId: { in: peopleIds },
              conversation: { members: { some: { userId: user.id } } },
            },
            select: { conversationId: true },
          });
    // the index still keeps to the reader's own rooms and conversations
    return { roomIds: roomRows.map((r) => r.id), conversationIds: conversations.map((c) => c.conversationId) };
  }

  private async userIds(usernames: string[]): Promise<string[]> {
    const rows = await this.db.user.findMany({
      where: { usernameKey: { in: usernames.flatMap(keysOf) } },
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  /** before:/after:/on: as moments, the days taken in the reader's time zone. */
  private async period(user: PublicUser, query: SearchQuery): Promise<{ after: Date | null; before: Date | null }> {
    if (!query.before && !query.after && !query.on) return { after: null, before: null };
    const { timeZone } = await this.users.settingsOf(user.id);
    const start = (day: string) => startOfDay(day, timeZone);
    const dayAfter = (day: string) =>
      startOfDay(new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10), timeZone);
    const bounds = [query.after ? dayAfter(query.after) : null, query.on ? start(query.on) : null].filter((d) => d !== null);
    const ends = [query.before ? start(query.before) : null, query.on ? dayAfter(query.on) : null].filter((d) => d !== null);
    return {
      after: bounds.length === 0 ? null : new Date(Math.max(...bounds.map(Number))),
      before: ends.length === 0 ? null : new Date(Math.min(...ends.map(Number))),
    };
  }

  /** The hits as results, in their order: the messages, where each was written, what matched. */
  private async answer(
    user: PublicUser,
    hits: { messageId: string; roomId: string | null; conversationId: string | null }[],
    terms: string[],
  ): Promise<SearchResult[]> {
    const inRooms = hits.filter((h) => h.roomId !== null).map((h) => h.messageId);
    const inConversations = hits.filter((h) => h.conversationId !== null).map((h) => h.messageId);
    const roomIds = [...new Set(hits.flatMap((h) => (h.roomId === null ? [] : [h.roomId])))];
    const conversationIds = [...new Set(hits.flatMap((h) => (h.conversationId === null ? [] : [h.conversationId])))];
    const [roomMessages, directMessages, rooms, others] = await Promise.all([
      this.stores.rooms.byIds(inRooms),
      this.stores.conversations.byIds(inConversations),
      roomIds.length === 0 ? [] : this.db.room.findMany({ where: { id: { in: roomIds } }, select: { id: true, name: true } }),
      conversationIds.length === 0
        ? []
        : this.db.conversationMember.findMany({
            where: { conversationId: { in: conversationIds } },
            select: { conversationId: true, user: { select: { id: true, username: true } } },
          }),
    ]);
    const messages = new Map<string, WireMessage | WireDirectMessage>([...roomMessages, ...directMessages].map((m) => [m.id, m]));
    const roomById = new Map(rooms.map((r) => [r.id, r]));
    // the other participant (or myself, in a conversation with myself)
    const withWhom = new Map<string, PublicUser>();
    for (const o of others) {
      if (o.user.id !== user.id || !withWhom.has(o.conversationId)) withWhom.set(o.conversationId, o.user);
    }
    return hits.flatMap((hit): SearchResult[] => {
      const message = messages.get(hit.messageId);
      // deleted between the index's answer and this read
      if (!message || message.deletedAt !== null) return [];
      const highlights = {
        body: highlightRanges(message.body, terms),
        file: message.file && !message.file.removed ? highlightRanges(message.file.name, terms) : [],
      };
      const room = hit.roomId === null ? undefined : roomById.get(hit.roomId);
      const other = hit.conversationId === null ? undefined : withWhom.get(hit.conversationId);
      if (room) return [{ message, room: { id: room.id, name: room.name }, highlights }];
      if (other && hit.conversationId) return [{ message, conversation: { id: hit.conversationId, with: other }, highlights }];
      return [];
    });
  }
}
