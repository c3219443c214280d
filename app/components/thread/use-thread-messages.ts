"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { inWindow, mergeBySeq } from "@/app/lib/merge";
import { type Problem, problemOf } from "@/app/lib/problems";
import type { WireFile } from "@/server/protocol";
import { RequestError, request } from "@/server/protocol/request";
import { useOnConnect, useSocketEvent } from "../use-live";
import type { ChatSocket } from "../use-socket";
import type { ThreadMessage } from "./message-list";
import type { ThreadSource } from "./source";

/** How many times entering a thread is tried when the server says `rate_limited`. */
const ENTER_TRIES = 4;

/** What a removed file looks like on the wire (server/files/wire-file.ts). */
const removedFile = (id: string): WireFile => ({ id, name: "", size: 0, type: "", thumbnail: null, removed: true });

/**
 * A thread's stored messages: the newest page on entering, older pages on demand, live messages
 * and changes (edits, deletions), and, after a reconnect or a change that arrived over a gap,
 * everything it missed from the change feed (room:sync / dm:sync), without gaps or duplicates.
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
   * Up to where every change of the thread is here: each change raises the thread's rev by one,
   * so a live message or change past `rev + 1` means one was missed (another node delivered it
   * late, or not at all), and a reconnect resumes from here.
   */
  const rev = useRef(0);
  const syncing = useRef<Promise<void> | null>(null);

  /** Adds messages the change feed or a page brought, keeping the later change of each. */
  const add = useCallback((incoming: M[]) => setMessages((list) => mergeBySeq(list, inWindow(list, incoming))), []);

  /** Fetches every change after `rev`, page by page (one sync at a time). */
  const sync = useCallback(() => {
    syncing.current ??= (async () => {
      for (let more = true; more; ) {
        const page = await source.sync(rev.current);
        add(page.messages);
        rev.current = Math.max(rev.current, page.rev);
        more = page.hasMore && page.messages.length > 0;
      }
    })()
      .catch(() => undefined)
      .finally(() => {
        syncing.current = null;
      });
    return syncing.current;
  }, [source, add]);

  /** A live message or change: kept, and the rev moved on, or a sync if one came before it unseen. */
  const arrived = useCallback(
    (message: M) => {
      add([message]);
      if (message.rev === rev.current + 1) rev.current = message.rev;
      else if (message.rev > rev.current + 1 && ready) void sync();
    },
    [add, sync, ready],
  );

  useOnConnect(socket, () => {
    const enter = async () => {
      if (!ready) {
        const page = await source.enter();
        setMessages(page.messages);
        setHasMore(page.hasMore);
        // from the newest rev on the page, the feed tells what changed since, and the thread's rev
        rev.current = Math.max(0, ...page.messages.map((m) => m.rev));
        await sync();
      } else {
        await source.enter();
        await sync();
      }
      setReady(true);
    };
    // walking through rooms by keyboard can outrun the account's request quota: entering then
    // waits the second or two the server names and tries again, instead of showing "Too fast"
    const enterInTurn = (tries: number) =>
      enter().catch((error: unknown) => {
        const problem = problemOf(error);
        if (problem.code === "rate_limited" && tries < ENTER_TRIES) {
          setTimeout(() => void enterInTurn(tries + 1), (problem.retryAfter ?? 1) * 1000);
        } else onError(problem);
      });
    void enterInTurn(1);
  });

  useSocketEvent(socket, source.event, (payload) => {
    const message = source.own(payload);
    if (!message) return;
    arrived(message);
    onLive(message);
  });
  useSocketEvent(socket, source.updated, (payload) => {
    const message = source.own(payload);
    if (message) arrived(message);
  });

  // a file shared here was removed: its message stays, as "file removed"
  useSocketEvent(socket, "file:removed", (event) => {
    if (!source.here(event)) return;
    const { fileId, rev: changedAt } = event;
    setMessages((list) =>
      list.some((m) => m.file?.id === fileId)
        ? list.map((m) => (m.file?.id === fileId ? { ...m, file: removedFile(fileId), rev: changedAt } : m))
        : list,
    );
    // it changed the thread's rev like any other change
    if (changedAt === rev.current + 1) rev.current = changedAt;
    else if (changedAt > rev.current + 1 && ready) void sync();
  });
  const removeFile = useCallback(
    async (fileId: string) => {
      if (!socket) throw new RequestError("timeout", "Not connected.");
      await request(socket, "file:remove", { fileId });
    },
    [socket],
  );

  /** Edits or deletes one of my messages: shown as soon as it is stored (and to everyone live). */
  const change = useCallback(
    async (messageId: string, body: string | null) => {
      add([await (body === null ? source.remove(messageId) : source.edit(messageId, body))]);
    },
    [source, add],
  );

  // What is on screen is read, while the tab is in view, and only forward. A burst of messages is
  // marked once, a second after it starts (one request, not one per message: requests are
  // rate-limited per account); at once when the tab comes back into view, and when the thread is
  // left. A mark that fails is sent again next time.
  const seenUpTo = useRef(0);
  const sentUpTo = useRef(0);
  const seenTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const markSeen = useCallback(() => {
    if (seenTimer.current) clearTimeout(seenTimer.current);
    seenTimer.current = null;
    const seq = seenUpTo.current;
    if (!source.seen || seq <= sentUpTo.current || document.visibilityState !== "visible") return;
    sentUpTo.current = seq;
    source.seen(seq).catch(() => {
      sentUpTo.current = 0;
    });
  }, [source]);
  useEffect(() => {
    if (!ready || lastSeq === 0) return;
    seenUpTo.current = lastSeq;
    seenTimer.current ??= setTimeout(markSeen, 1000);
  }, [ready, lastSeq, markSeen]);
  useEffect(() => {
    const visible = () => {
      if (document.visibilityState === "visible") markSeen();
    };
    document.addEventListener("visibilitychange", visible);
    return () => {
      document.removeEventListener("visibilitychange", visible);
      markSeen();
    };
  }, [markSeen]);

  /** Adds or takes back my reaction: shown as soon as it is stored (and to everyone live). */
  const react = useCallback(
    async (messageId: string, emoji: string, mine: boolean) => add([await source.react(messageId, emoji, mine)]),
    [source, add],
  );

  const oldest = messages[0]?.seq;
  /** Loads the page before the oldest message shown; `beforeAdd` runs just before it is shown. */
  const loadOlder = useCallback(
    async (beforeAdd: () => void) => {
      if (loadingOlder || !hasMore || oldest === undefined) return;
      setLoadingOlder(true);
      try {
        const page = await source.before(oldest);
        beforeAdd();
        setMessages((list) => mergeBySeq(list, page.messages));
        setHasMore(page.hasMore);
      } catch {
        // the next scroll tries again
      } finally {
        setLoadingOlder(false);
      }
    },
    [source, oldest, hasMore, loadingOlder],
  );

  /**
   * Makes message `seq` here (a reply's original, a linked message, a search result): at once if
   * it is, else with the messages around it, apart from the rest (the list then has a gap, which
   * `fillGap` closes); resolves true when it is here, false when the thread has no such message.
   */
  const reveal = useCallback(
    async (seq: number) => {
      if (messages.some((m) => m.seq === seq)) return true;
      if (seq > lastSeq && lastSeq > 0) return false;
      const page = await source.around(seq);
      setMessages((list) => mergeBySeq(list, page.messages));
      // the window is the oldest part now: what lies before it is what "older" loads
      if (oldest === undefined || (page.messages[0] && page.messages[0].seq < oldest)) setHasMore(page.hasMoreBefore);
      return page.messages.some((m) => m.seq === seq);
    },
    [source, messages, oldest, lastSeq],
  );

  /** Loads the messages just after `seq`, where the list has a gap. */
  const [filling, setFilling] = useState<number | null>(null);
  const fillGap = useCallback(
    async (seq: number) => {
      setFilling(seq);
      try {
        const page = await source.after(seq);
        setMessages((list) => mergeBySeq(list, page.messages));
      } catch {
        // the button stays: another click tries again
      } finally {
        setFilling(null);
      }
    },
    [source],
  );

  return { messages, add, hasMore, ready, loadingOlder, loadOlder, removeFile, change, react, reveal, fillGap, filling };
}
