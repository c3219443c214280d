"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { contiguousEnd, mergeBySeq } from "@/app/lib/merge";
import { type Problem, problemOf } from "@/app/lib/problems";
import type { WireFile } from "@/server/protocol";
import { RequestError, request } from "@/server/protocol/request";
import { useOnConnect, useSocketEvent } from "../use-live";
import type { ChatSocket } from "../use-socket";
import type { ThreadMessage } from "./message-list";
import type { ThreadSource } from "./source";

/** What a removed file looks like on the wire (server/files/wire-file.ts). */
const removedFile = (id: string): WireFile => ({ id, name: "", size: 0, type: "", thumbnail: null, removed: true });

/**
 * A thread's stored messages: the newest page on entering, older pages on demand, live messages,
 * and after a reconnect what was missed, by seq, without gaps or duplicates.
 */
export function useThreadMessages<M extends ThreadMessage>(
  socket: ChatSocket | null,
  source: ThreadSource<M>,
  { onError, onLive }: { onError(problem: Problem): void; onLive(message: M): void },
) {
  const [messages, setMessages] = useState<M[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [ready, setReady] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const lastSeq = messages.at(-1)?.seq ?? 0;
  /**
   * Up to where every message is here (from the oldest loaded): catch-ups resume from it, and a
   * live message past it means something was missed (another node delivered it late, or not at
   * all). Kept after each render and moved on at once by live messages that extend it.
   */
  const edge = useRef(0);
  useEffect(() => {
    edge.current = Math.max(edge.current, contiguousEnd(messages));
  }, [messages]);
  const filling = useRef<Promise<void> | null>(null);

  const add = useCallback((incoming: M[]) => setMessages((list) => mergeBySeq(list, incoming)), []);

  /** Fetches everything after the edge, page by page (one fill at a time). */
  const fill = useCallback(async () => {
    let after = edge.current;
    for (let more = true; more; ) {
      const page = await source.after(after);
      add(page.messages);
      // the server's seqs are gapless: a page after `after` goes on from it
      after = page.messages.at(-1)?.seq ?? after;
      edge.current = Math.max(edge.current, after);
      more = page.hasMore && page.messages.length > 0;
    }
  }, [source, add]);
  const fillGap = useCallback(() => {
    filling.current ??= fill()
      .catch(() => undefined)
      .finally(() => {
        filling.current = null;
      });
    return filling.current;
  }, [fill]);

  useOnConnect(socket, () => {
    const enter = async () => {
      if (!ready) {
        const page = await source.enter();
        setMessages(page.messages);
        setHasMore(page.hasMore);
        edge.current = page.messages.at(-1)?.seq ?? 0;
      } else {
        // the newest page again: what changed in it meanwhile (a file removed) is shown as it is now
        add((await source.enter()).messages);
        await fill();
      }
      setReady(true);
    };
    enter().catch((error: unknown) => onError(problemOf(error)));
  });

  useSocketEvent(socket, source.event, (payload) => {
    const message = source.own(payload);
    if (!message) return;
    add([message]);
    onLive(message);
    if (message.seq === edge.current + 1) edge.current = message.seq;
    else if (message.seq > edge.current + 1 && ready) void fillGap();
  });

  // a file shared here was removed: its message stays, as "file removed" (ids are unique, so a
  // file of another thread matches nothing)
  useSocketEvent(socket, "file:removed", ({ fileId }) =>
    setMessages((list) =>
      list.some((m) => m.file?.id === fileId)
        ? list.map((m) => (m.file?.id === fileId ? { ...m, file: removedFile(fileId) } : m))
        : list,
    ),
  );
  const removeFile = useCallback(
    async (fileId: string) => {
      if (!socket) throw new RequestError("timeout", "Not connected.");
      await request(socket, "file:remove", { fileId });
    },
    [socket],
  );

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

  return { messages, add, hasMore, ready, loadingOlder, loadOlder, removeFile };
}
