"use client";

// A room's pinned messages, the latest pinned first, each with the way to it in the thread (and,
// for the room's owner and admins, to unpin it).
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { useFormat } from "@/app/lib/format";
import { type Problem, problemOf, useProblemText } from "@/app/lib/problems";
import type { WireMessage } from "@/server/protocol";
import { request } from "@/server/protocol/request";
import { excerptOf } from "@/server/protocol/text";
import { shownName, useProfile } from "../profiles";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { useSocketEvent } from "../use-live";
import type { ChatSocket } from "../use-socket";

function Pin({ message, onGo, onUnpin }: { message: WireMessage; onGo(): void; onUnpin?: () => void }) {
  const t = useTranslations("pins");
  const format = useFormat();
  const profile = useProfile(message.author.id);
  return (
    <li className="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-700">
      <p className="flex items-baseline gap-2">
        <span translate="no" className="font-semibold">
          {shownName(message.author, profile)}
        </span>
        <time dateTime={message.createdAt} className="text-xs text-slate-600 dark:text-slate-400">
          {format.time(message.createdAt)}
        </time>
      </p>
      <p translate="no" className="mt-1 line-clamp-3 whitespace-pre-line">
        {excerptOf(message.body) || message.file?.name}
      </p>
      <div className="mt-2 flex gap-2">
        <Button size="xs" variant="secondary" onClick={onGo}>
          {t("go")}
        </Button>
        {onUnpin && (
          <Button size="xs" variant="ghost" onClick={onUnpin}>
            {t("unpin")}
          </Button>
        )}
      </div>
    </li>
  );
}

export function PinsDialog({
  socket,
  room,
  canPin,
  onGo,
  onClose,
}: {
  socket: ChatSocket;
  room: { id: string; name: string };
  canPin: boolean;
  onGo(seq: number): void;
  onClose(): void;
}) {
  const t = useTranslations("pins");
  const say = useProblemText();
  const [pins, setPins] = useState<WireMessage[] | null>(null);
  const [error, setError] = useState<Problem | null>(null);
  useEffect(() => {
    request(socket, "room:pins", { roomId: room.id })
      .then((reply) => setPins(reply.messages))
      .catch((failure) => setError(problemOf(failure)));
  }, [socket, room.id]);
  // pinned or unpinned meanwhile (here or by someone else)
  useSocketEvent(socket, "message:updated", (m) => {
    if (m.roomId !== room.id) return;
    setPins((list) => {
      if (!list) return list;
      const rest = list.filter((p) => p.id !== m.id);
      return m.pinned ? [m, ...rest].sort((a, b) => (b.pinned?.at ?? "").localeCompare(a.pinned?.at ?? "")) : rest;
    });
  });

  return (
    <Dialog
      label={t("title", { room: room.name })}
      heading={{ close: t("close") }}
      onClose={onClose}
      className="w-[min(32rem,calc(100vw-2rem))]"
    >
      <div className="max-h-[70vh] space-y-2 overflow-y-auto px-5 py-4">
        {error && <Alert>{say(error)}</Alert>}
        {pins?.length === 0 && <p className="text-sm text-slate-600 dark:text-slate-400">{t("none")}</p>}
        <ul aria-label={t("list")} className="space-y-2">
          {pins?.map((m) => (
            <Pin
              key={m.id}
              message={m}
              onGo={() => {
                onClose();
                onGo(m.seq);
              }}
              onUnpin={
                canPin
                  ? () =>
                      void request(socket, "message:pin", { roomId: room.id, messageId: m.id, pinned: false }).catch((failure) =>
                        setError(problemOf(failure)),
                      )
                  : undefined
              }
            />
          ))}
        </ul>
      </div>
    </Dialog>
  );
}
