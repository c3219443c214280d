"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { mergeBySeq } from "@/app/lib/merge";
import { useOnConnect, useSocketEvent } from "../use-live";
import type { ChatSocket } from "../use-socket";
import type { ThreadMessage } from "./message-list";
import type { ThreadSource } from "./source";

/**
 * A thread's stored messages: the newest page on entering, older pages on demand, live messages,
 * and after a reconnect what was missed, by seq, without gaps or duplicates.
 */
export function useThreadMessages<M extends ThreadMessage>(
  socket: ChatSocket | null,
  source: ThreadSource<M>,
  { onError, onLive }: { onError(message: string, code?: string): void; onLive(message: M): void },
) {
  const [messages, setMessages] = useState<M[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [ready, setReady] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const lastSeq = messages.at(-1)?.seq ?? 0;
  // what the connect handler reads: the newest seq shown, kept after each render
  const newest = useRef(0);
  useEffect(() => {
    newest.current = lastSeq;
  }, [lastSeq]);

  const add = useCallback((incoming: M[]) => setMessages((list) => mergeBySeq(list, incoming)), []);

  useOnConnect(socket, () => {
    const enter = async () => {
      if (newest.current === 0) {
        const page = await source.enter();
        setMessages(page.messages);
        setHasMore(page.hasMore);
      } else {
        await source.enter();
        let after = newest.current;
        let more = true;
        while (more) {
          const page = await source.after(after);
          add(page.messages);
          after = page.messages.at(-1)?.seq ?? after;
          more = page.hasMore && page.messages.length > 0;
        }
      }
      setReady(true);
    };
    enter().catch((error: { message: string; code?: string }) => onError(error.message, error.code));
  });

  useSocketEvent(socket, source.event, (payload) => {
    const message = source.own(payload);
    if (!message) return;
    add([message]);
    onLive(message);
  });

  useEffect(() => {
    if (ready && lastSeq > 0) source.seen?.(lastSeq);
  }, [ready, lastSeq, source]);

  const oldest = messages[0]?.seq;
  /** Loads the page before the oldest message shown; `beforeAdd` runs just before it is shown. */
  const loadOlder = useCallback(
    async (beforeAdd: () => void) => {
      if (loadingOlder || !hasMore || oldest === undefined) return;
      setLoadingOlder(true);
      try {
        const page = await source.before(oldest);
        beforeAdd();
        add(page.messages);
        setHasMore(page.hasMore);
      } catch {
        // the next scroll tries again
      } finally {
        setLoadingOlder(false);
      }
    },
    [source, oldest, hasMore, loadingOlder, add],
  );

  return { messages, add, hasMore, ready, loadingOlder, loadOlder };
}
