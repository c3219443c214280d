"use client";

// The tab's title starts with how many messages wait for me, in every room and conversation
// ("(3) Komnata"), like every chat: a glance at the tab bar says whether to look.
import { usePathname } from "next/navigation";
import { useEffect } from "react";
import { request } from "@/server/protocol/request";
import { useLiveQuery, useSocketEvent } from "./use-live";
import type { ChatSocket } from "./use-socket";

type Counts = Record<string, number>;

const UNREAD_PREFIX = /^\(\d+\) /;

/** Keeps the count: loaded on (re)connect, raised by each message from someone else, set by each read mark of mine. */
export function useUnreadTitle(socket: ChatSocket | null, me: string): number {
  const { data, setData } = useLiveQuery(
    socket,
    async (s): Promise<Counts> => {
      const { rooms, conversations } = await request(s, "user:unread", {});
      return Object.fromEntries([
        ...rooms.map((r) => [`room:${r.roomId}`, r.unread]),
        ...conversations.map((c) => [`dm:${c.conversationId}`, c.unread]),
      ]);
    },
    { refreshOn: { "room:member-left": true } },
  );
  const bump = (key: string) => setData((counts) => counts && { ...counts, [key]: (counts[key] ?? 0) + 1 });
  const set = (key: string, unread: number) => setData((counts) => counts && { ...counts, [key]: unread });
  useSocketEvent(socket, "message:new", (m) => {
    if (m.author.username !== me) bump(`room:${m.roomId}`);
  });
  useSocketEvent(socket, "dm:new", (m) => {
    if (m.author.username !== me) bump(`dm:${m.conversationId}`);
  });
  useSocketEvent(socket, "room:read", (e) => set(`room:${e.roomId}`, e.unread));
  useSocketEvent(socket, "dm:read", (e) => set(`dm:${e.conversationId}`, e.unread));

  const total = Object.values(data ?? {}).reduce((sum, n) => sum + n, 0);
  const path = usePathname();
  // biome-ignore lint/correctness/useExhaustiveDependencies: again after each navigation, which puts the page's own title back
  useEffect(() => {
    // after the page's own title is in place (it changes on navigation)
    const frame = requestAnimationFrame(() => {
      const title = document.title.replace(UNREAD_PREFIX, "");
      document.title = total > 0 ? `(${total}) ${title}` : title;
    });
    return () => cancelAnimationFrame(frame);
  }, [total, path]);
  return total;
}
