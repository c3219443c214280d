"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { problemOf } from "@/app/lib/problems";
import { readStored, writeStored } from "@/app/lib/stored";
import { RequestError } from "@/server/protocol/request";
import { useOnConnect } from "../use-live";
import type { ChatSocket } from "../use-socket";
import type { PendingMessage, ThreadMessage } from "./message-list";
import type { ThreadSource } from "./source";

/** Whether a failed send may still get through by itself: no answer, or no connection. */
const undelivered = (error: unknown, socket: ChatSocket | null) =>
  !socket?.connected || (error instanceof RequestError && error.code === "timeout");

/**
 * My messages on their way (an outbox): shown as sending until stored; kept as waiting while
 * there is no connection and sent again by themselves, in order and with their own clientMsgId
 * (the server stores each once), as soon as it is back; failed (with the reason and Retry) only
 * when the server refused one. Kept in this browser under `storageKey`, so a reload loses none.
 */
export function usePendingSends<M extends ThreadMessage>(
  socket: ChatSocket | null,
  source: ThreadSource<M>,
  storageKey: string,
  onSent: (messages: M[]) => void,
) {
  const [pending, setPending] = useState<PendingMessage[]>([]);
  const loaded = useRef<string | null>(null);
  /** one send at a time, in the order written: a resend never overtakes what came before it */
  const chain = useRef<Promise<void>>(Promise.resolve());
  /** those in the chain now, so one is never queued twice */
  const queued = useRef(new Set<string>());

  const update = useCallback(
    (clientMsgId: string, change: Partial<PendingMessage> | null) =>
      setPending((list) =>
        change === null
          ? list.filter((x) => x.clientMsgId !== clientMsgId)
          : list.map((x) => (x.clientMsgId === clientMsgId ? { ...x, ...change } : x)),
      ),
    [],
  );

  const attempt = useCallback(
    async (item: PendingMessage) => {
      if (!socket?.connected) return update(item.clientMsgId, { status: "waiting", error: undefined });
      update(item.clientMsgId, { status: "pending", error: undefined });
      try {
        const message = await source.send(item.body, item.clientMsgId, item.replyTo?.id);
        onSent([message]);
        update(item.clientMsgId, null);
      } catch (error) {
        if (undelivered(error, socket)) update(item.clientMsgId, { status: "waiting", error: undefined });
        else update(item.clientMsgId, { status: "failed", error: problemOf(error) });
      }
    },
    [socket, source, onSent, update],
  );

  /** Sends (or sends again, with the same clientMsgId), after whatever is already on its way. */
  const deliver = useCallback(
    (item: PendingMessage) => {
      if (queued.current.has(item.clientMsgId)) return chain.current;
      queued.current.add(item.clientMsgId);
      setPending((list) => [...list.filter((x) => x.clientMsgId !== item.clientMsgId), { ...item, status: "pending" }]);
      const next = chain.current.then(() => attempt(item)).finally(() => queued.current.delete(item.clientMsgId));
      chain.current = next.catch(() => undefined);
      return next;
    },
    [attempt],
  );

  // What a reload left unsent comes back as waiting; it goes out once connected (below).
  useEffect(() => {
    const kept = readStored<PendingMessage[]>(storageKey, []);
    loaded.current = storageKey;
    setPending(kept.map((x) => (x.status === "failed" ? x : { ...x, status: "waiting" })));
  }, [storageKey]);
  useEffect(() => {
    if (loaded.current === storageKey) writeStored(storageKey, pending);
  }, [storageKey, pending]);

  // Back online: everything waiting goes, in order.
  const waiting = useRef(pending);
  useEffect(() => {
    waiting.current = pending;
  }, [pending]);
  const flush = useCallback(() => {
    for (const item of waiting.current.filter((x) => x.status === "waiting")) void deliver(item);
  }, [deliver]);
  useOnConnect(socket, flush);
  // (also when the stored ones are read after the connection is already up)
  const restored = pending.some((x) => x.status === "waiting") && socket?.connected === true;
  useEffect(() => {
    if (restored) flush();
  }, [restored, flush]);

  /** A message of mine arrived another way (live, from another tab's retry): it is no longer pending. */
  const arrived = useCallback((clientMsgId: string) => update(clientMsgId, null), [update]);

  return { pending, deliver, arrived };
}
