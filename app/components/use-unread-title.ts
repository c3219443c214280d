"use client";

// The tab's title starts with how many messages wait for me, in every room and conversation
// ("(3) Komnata"), and, first, how many of them call for me ("(@1 · 3) Komnata": mentions of me,
// @room, @here, private messages), like every chat: a glance at the tab bar says whether to look.
import { useEffect } from "react";
import { unreadAfter } from "@/app/lib/unread";
import { request } from "@/server/protocol/request";
import { useLiveQuery } from "./use-live";
import type { ChatSocket } from "./use-socket";

/** Per room and conversation: its last message's seq when counted, what waits, and whether it is muted. */
type Counts = Record<string, { lastSeq: number; unread: number; mentions: number; muted?: boolean }>;

const UNREAD_PREFIX = /^\((?:@\d+ · )?\d+\) /;

/** The title with `unread` and `mentions` in front (none when nothing waits). */
export function titleWith(title: string, unread: number, mentions: number): string {
  const bare = title.replace(UNREAD_PREFIX, "");
  if (unread <= 0) return bare;
  return mentions > 0 ? `(@${mentions} · ${unread}) ${bare}` : `(${unread}) ${bare}`;
}

const NONE = { lastSeq: 0, unread: 0, mentions: 0 };

/** One more unread message in `key` (unless it is counted already), and one more mention if it `called` for me. */
function bump(counts: Counts | null, key: string, seq: number, called: boolean): Counts | null {
  const was = counts?.[key] ?? NONE;
  if (!counts || seq <= was.lastSeq) return counts;
  return { ...counts, [key]: { ...was, lastSeq: seq, unread: was.unread + 1, mentions: was.mentions + (called ? 1 : 0) } };
}

/** `key`'s counts with `change` over them. */
function set(counts: Counts | null, key: string, change: Partial<Counts[string]>): Counts | null {
  return counts && { ...counts, [key]: { ...(counts[key] ?? NONE), ...change } };
}

/** Keeps the counts: loaded on (re)connect, raised by each message from someone else, set by each read mark of mine. */
export function useUnreadTitle(socket: ChatSocket | null, me: string): number {
  const mine = me.toLowerCase();
  const { data } = useLiveQuery(
    socket,
    async (s): Promise<Counts> => {
      const { rooms, conversations } = await request(s, "user:unread", {});
      return Object.fromEntries([
        ...rooms.map((r) => [
          `room:${r.roomId}`,
          { lastSeq: r.lastSeq, unread: r.unread, mentions: r.mentions, muted: r.notify === "nothing" },
        ]),
        ...conversations.map((c) => [`dm:${c.conversationId}`, { lastSeq: c.lastSeq, unread: c.unread, mentions: c.unread }]),
      ]);
    },
    {
      refreshOn: { "room:member-left": true },
      keep: "unread",
      apply: {
        // (my id is not known here: the names a message mentions are, in lower case)
        "message:new": (counts, m) =>
          m.author.username === me
            ? counts
            : bump(counts, `room:${m.roomId}`, m.seq, m.mentions.names.includes(mine) || m.mentions.room || m.mentions.here),
        "dm:new": (counts, m) => (m.author.username === me ? counts : bump(counts, `dm:${m.conversationId}`, m.seq, true)),
        "room:read": (counts, e) =>
          set(counts, `room:${e.roomId}`, {
            unread: unreadAfter(counts?.[`room:${e.roomId}`]?.lastSeq ?? 0, e),
            mentions: e.mentions,
          }),
        // in a conversation every unread message calls for me
        "dm:read": (counts, e) => {
          const unread = unreadAfter(counts?.[`dm:${e.conversationId}`]?.lastSeq ?? 0, e);
          return set(counts, `dm:${e.conversationId}`, { unread, mentions: unread });
        },
        "room:settings": (counts, e) => set(counts, `room:${e.roomId}`, { muted: e.settings.notify === "nothing" }),
      },
    },
  );

  // a muted room is not counted: it asked to notify nothing
  const all = Object.values(data ?? {}).filter((c) => !c.muted);
  const total = all.reduce((sum, c) => sum + c.unread, 0);
  const mentions = all.reduce((sum, c) => sum + c.mentions, 0);
  useEffect(() => {
    const apply = () => {
      const title = titleWith(document.title, total, mentions);
      if (document.title !== title) document.title = title;
    };
    // after the page's own title is in place, and again each time the page puts its own back: a
    // navigation, or React committing the page's <title> after this ran (on a page's first load
    // it can come later, and the count was lost until it next changed)
    const frame = requestAnimationFrame(apply);
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { subtree: true, childList: true, characterData: true });
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  }, [total, mentions]);
  return total;
}
