"use client";

// Where a person can be: the rooms they are in and their conversations, each with what they have
// not read, in the order they chose (recent activity with unread first, or by name). The sidebar
// lists them, the quick switcher finds them, Alt+Up/Down walks them. Kept current live: new
// messages, read marks, rooms joined, left or deleted, new conversations.
import { useEffect, useRef, useState } from "react";
import { readStored, writeStored } from "@/app/lib/stored";
import { afterMessage, afterRead, changeRoom, unreadAfter } from "@/app/lib/unread";
import type { ConversationSummary, NotifyLevel, RoomSummary } from "@/server/protocol";
import { request } from "@/server/protocol/request";
import { type LiveQuery, useLiveQuery } from "../use-live";
import type { ChatSocket } from "../use-socket";

export type Sort = "activity" | "name";
const SORT_KEY = "komnata-sidebar-sort";

/** Where the person is: a room, a conversation (by the other person's name), or elsewhere. */
export type Here = { roomId: string } | { username: string } | null;

export interface Place {
  key: string;
  kind: "room" | "conversation";
  href: string;
  /** the room's or the person's name, as typed */
  name: string;
  /** what is shown: "# name" or "@name" */
  label: string;
  /** the other person's id, for a conversation */
  userId?: string;
  unread: number;
  /** of those, how many call for me (in a conversation, all of them) */
  mentions: number;
  /** a room I set to notify nothing */
  muted: boolean;
  /** what of a room notifies me */
  notify?: NotifyLevel;
  at: string;
  current: boolean;
}

function ordered(places: Place[], sort: Sort): Place[] {
  return [...places].sort((a, b) =>
    sort === "name"
      ? a.name.localeCompare(b.name)
      : Number(b.unread > 0) - Number(a.unread > 0) || b.at.localeCompare(a.at) || a.name.localeCompare(b.name),
  );
}

export interface Places {
  /** null until the first answer */
  rooms: Place[] | null;
  conversations: Place[] | null;
  sort: Sort;
  setSort(sort: Sort): void;
}

/**
 * My conversations, newest first: the sidebar's, and the lobby's on the same page, from one
 * request kept across navigations (use-live.ts). Kept current live: a message moves its
 * conversation to the top and counts as unread unless I wrote it, a read mark sets the count,
 * a message in a conversation not listed yet (a new one) asks for the list again, and the other
 * person's online mark follows them as they come and go. The lists of it mounted at once share
 * one copy, and each event is applied to it once.
 */
export function useConversations(socket: ChatSocket | null, me: { id: string }): LiveQuery<ConversationSummary[]> {
  const known = useRef(new Set<string>());
  const conversations = useLiveQuery(socket, async (s) => (await request(s, "dm:list", {})).conversations, {
    keep: "conversations",
    refreshOn: { "dm:new": (m) => !known.current.has(m.conversationId) },
    apply: {
      "dm:new": (list, m) => {
        const c = list?.find((x) => x.id === m.conversationId);
        if (!list || !c || m.seq <= c.lastSeq) return list;
        const moved = { ...c, lastMessageAt: m.createdAt, lastSeq: m.seq, unread: m.author.id === me.id ? 0 : c.unread + 1 };
        return [moved, ...list.filter((x) => x !== c)];
      },
      "dm:read": (list, e) =>
        list?.map((c) => (c.id === e.conversationId ? { ...c, unread: unreadAfter(c.lastSeq, e) } : c)) ?? null,
      // the server tells me when someone I talk with comes online or goes offline (and when a
      // member of my rooms does: nothing to change then)
      "presence:changed": (list, e) =>
        list?.some((c) => c.with.id === e.userId && c.with.online !== e.online)
          ? list.map((c) => (c.with.id === e.userId ? { ...c, with: { ...c.with, online: e.online } } : c))
          : list,
    },
  });
  useEffect(() => {
    known.current = new Set((conversations.data ?? []).map((c) => c.id));
  }, [conversations.data]);
  return conversations;
}

export function usePlaces(socket: ChatSocket | null, me: { id: string }, here: Here): Places {
  const [sort, setSortState] = useState<Sort>("activity");
  useEffect(() => setSortState(readStored<Sort>(SORT_KEY, "activity")), []);
  const setSort = (next: Sort) => {
    setSortState(next);
    writeStored(SORT_KEY, next);
  };

  // kept across navigations: every page draws its own sidebar (use-live.ts)
  const rooms = useLiveQuery(socket, async (s) => (await request(s, "room:mine", {})).rooms, {
    keep: "sidebar:rooms",
    refreshOn: {
      "room:member-joined": (e) => e.member.id === me.id,
      "room:member-left": (e) => e.userId === me.id,
      "room:created": (room) => room.createdBy === me.id,
    },
    apply: {
      "message:new": (list, m) => changeRoom(list, m.roomId, (r) => afterMessage(r, m, me.id)),
      "room:read": (list, e) => changeRoom(list, e.roomId, (r) => afterRead(r, e)),
      "room:settings": (list, e) => changeRoom(list, e.roomId, (r) => ({ ...r, notify: e.settings.notify })),
      "room:deleted": (list, e) => list?.filter((r) => r.id !== e.roomId) ?? null,
      // removed by its owner or an admin (or deleted): gone from my rooms at once
      "room:removed": (list, e) => list?.filter((r) => r.id !== e.roomId) ?? null,
      "room:updated": (list, e) =>
        changeRoom(list, e.id, (r) => ({ ...r, name: e.name, topic: e.topic, visibility: e.visibility, archived: e.archived })),
    },
  });
  const conversations = useConversations(socket, me);

  return {
    rooms:
      rooms.data &&
      ordered(
        rooms.data.map((r) => ({
          key: r.id,
          kind: "room",
          href: `/rooms/${r.id}`,
          name: r.name,
          label: `${r.visibility === "private" ? "🔒" : "#"} ${r.name}`,
          unread: r.unread ?? 0,
          mentions: r.mentions ?? 0,
          muted: r.notify === "nothing",
          notify: r.notify,
          at: r.lastMessageAt ?? r.createdAt,
          current: here !== null && "roomId" in here && here.roomId === r.id,
        })),
        sort,
      ),
    conversations:
      conversations.data &&
      ordered(
        conversations.data.map((c) => ({
          key: c.id,
          kind: "conversation",
          href: `/messages/${encodeURIComponent(c.with.username)}`,
          name: c.with.username,
          label: `@${c.with.username}`,
          userId: c.with.id,
          unread: c.unread,
          mentions: c.unread,
          muted: false,
          at: c.lastMessageAt ?? "",
          current: here !== null && "username" in here && here.username.toLowerCase() === c.with.username.toLowerCase(),
        })),
        sort,
      ),
    sort,
    setSort,
  };
}

/**
 * The place Alt+Up/Down (or, with `unread`, Alt+Shift+Up/Down) goes to from the current one, in
 * the sidebar's order, rooms then conversations, round at the ends; null when there is none.
 */
export function nextPlace(places: Place[], direction: 1 | -1, unread = false): Place | null {
  const at = places.findIndex((p) => p.current);
  for (let step = 1; step <= places.length; step++) {
    // from nowhere (the lobby), down starts at the first and up at the last
    const index = at === -1 ? (direction === 1 ? step - 1 : places.length - step) : at + direction * step;
    const place = places[(index + places.length) % places.length];
    if (place.current) continue;
    if (!unread || place.unread > 0) return place;
  }
  return null;
}
