"use client";

// Invitations waiting for my answer, at the top of the lobby: who invited me to which room, to
// accept (and go there) or decline. Live: a new one appears, an answered or withdrawn one goes,
// on every tab.
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { type Problem, problemOf, useProblemText } from "@/app/lib/problems";
import { request } from "@/server/protocol/request";
import { Alert } from "./ui/alert";
import { Button } from "./ui/button";
import { useLiveQuery } from "./use-live";
import type { ChatSocket } from "./use-socket";

export function Invitations({ socket }: { socket: ChatSocket | null }) {
  const t = useTranslations("invitations");
  const say = useProblemText();
  const router = useRouter();
  const live = useLiveQuery(socket, (s) => request(s, "room:invitations", {}), {
    refreshOn: { "room:invited": true, "room:invitation-closed": true },
  });
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<Problem | null>(null);
  const invitations = live.data?.invitations ?? [];
  if (invitations.length === 0) return null;

  async function answer(roomId: string, accept: boolean) {
    if (!socket) return;
    setBusy(roomId);
    setError(null);
    try {
      await request(socket, "room:invitation:respond", { roomId, accept });
      if (accept) router.push(`/rooms/${roomId}`);
      else live.setData((d) => d && { invitations: d.invitations.filter((i) => i.room.id !== roomId) });
    } catch (failure) {
      setError(problemOf(failure));
      live.refresh();
    } finally {
      setBusy(null);
    }
  }

  return (
    <section
      aria-labelledby="invitations-heading"
      className="mb-6 rounded-2xl border border-brand-500/40 bg-brand-50/60 p-4 dark:bg-brand-500/10"
    >
      <h2 id="invitations-heading" className="mb-2 font-semibold">
        {t("title", { count: invitations.length })}
      </h2>
      <ul aria-label={t("list")} className="space-y-2">
        {invitations.map((inv) => (
          <li key={inv.room.id} className="flex flex-wrap items-center gap-3 text-sm">
            <span className="min-w-0 flex-1">
              {t.rich("line", {
                who: () => (
                  <span translate="no" className="font-medium">
                    {inv.invitedBy.username}
                  </span>
                ),
                room: () => (
                  <span translate="no" className="font-medium">
                    {inv.room.visibility === "private" ? "🔒" : "#"} {inv.room.name}
                  </span>
                ),
              })}
              {inv.room.topic && (
                <span translate="no" className="block truncate text-slate-600 dark:text-slate-400">
                  {inv.room.topic}
                </span>
              )}
            </span>
            <Button size="sm" disabled={busy === inv.room.id} onClick={() => void answer(inv.room.id, true)}>
              {t("accept")}
            </Button>
            <Button size="sm" variant="secondary" disabled={busy === inv.room.id} onClick={() => void answer(inv.room.id, false)}>
              {t("decline")}
            </Button>
          </li>
        ))}
      </ul>
      {error && <Alert className="mt-2">{say(error, "invitation")}</Alert>}
    </section>
  );
}
