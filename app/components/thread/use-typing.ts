"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useSocketEvent } from "../use-live";
import type { ChatSocket } from "../use-socket";
import type { ThreadMessage } from "./message-list";
import type { ThreadSource } from "./source";

/** Someone is shown typing this long after their last signal. */
const SHOWN_MS = 5000;
/** I say I am typing at most this often while I am. */
const SEND_EVERY_MS = 3000;

/**
 * Who else is typing here (names, in the order they started), and telling the others that I
 * am: at most every 3 s while I type, again at once after I send.
 */
export function useTyping<M extends ThreadMessage>(socket: ChatSocket | null, source: ThreadSource<M>, me: string) {
  const [typists, setTypists] = useState<Map<string, { username: string; until: number }>>(new Map());
  const lastSent = useRef(0);

  useSocketEvent(socket, source.typingEvent, (event) => {
    if (!source.here(event)) return;
    const { user } = event;
    if (user.id === me) return;
    setTypists((current) => new Map(current).set(user.id, { username: user.username, until: Date.now() + SHOWN_MS }));
  });

  // forget those who stopped
  useEffect(() => {
    if (typists.size === 0) return;
    const next = Math.min(...[...typists.values()].map((t) => t.until));
    const timer = setTimeout(
      () => setTypists((current) => new Map([...current].filter(([, t]) => t.until > Date.now()))),
      Math.max(0, next - Date.now()) + 50,
    );
    return () => clearTimeout(timer);
  }, [typists]);

  /** Their message arrived: they are done typing it. */
  const stopped = useCallback(
    (userId: string) =>
      setTypists((current) => {
        if (!current.has(userId)) return current;
        const next = new Map(current);
        next.delete(userId);
        return next;
      }),
    [],
  );

  const typing = useCallback(() => {
    if (Date.now() - lastSent.current < SEND_EVERY_MS) return;
    lastSent.current = Date.now();
    source.typing();
  }, [source]);

  const sent = useCallback(() => {
    lastSent.current = 0;
  }, []);

  return { names: [...typists.values()].map((t) => t.username), typing, sent, stopped };
}
