"use client";

import { useCallback, useState } from "react";
import { problemOf } from "@/app/lib/problems";
import type { PendingMessage, ThreadMessage } from "./message-list";
import type { ThreadSource } from "./source";

/** My messages on their way: shown as sending until stored, as failed (with the reason) if refused or unanswered. */
export function usePendingSends<M extends ThreadMessage>(source: ThreadSource<M>, onSent: (messages: M[]) => void) {
  const [pending, setPending] = useState<PendingMessage[]>([]);

  /** Sends (or sends again, with the same clientMsgId, so the server keeps one copy). */
  async function deliver(item: PendingMessage) {
    setPending((p) => [...p.filter((x) => x.clientMsgId !== item.clientMsgId), { ...item, status: "pending", error: undefined }]);
    try {
      const message = await source.send(item.body, item.clientMsgId, item.replyTo?.id);
      onSent([message]);
      setPending((p) => p.filter((x) => x.clientMsgId !== item.clientMsgId));
    } catch (error) {
      const reason = problemOf(error);
      setPending((p) => p.map((x) => (x.clientMsgId === item.clientMsgId ? { ...x, status: "failed", error: reason } : x)));
    }
  }

  /** A message of mine arrived another way (live, from another tab's retry): it is no longer pending. */
  const arrived = useCallback((clientMsgId: string) => setPending((p) => p.filter((x) => x.clientMsgId !== clientMsgId)), []);

  return { pending, deliver, arrived };
}
