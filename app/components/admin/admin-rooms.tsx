"use client";

import { useTranslations } from "next-intl";
import { useCallback, useEffect, useState } from "react";
import { type Problem, problemOf, useProblemText } from "@/app/lib/problems";
import type { AdminRoom } from "@/server/protocol";
import { request } from "@/server/protocol/request";
import { SearchField } from "../search-field";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { ConfirmInline } from "../ui/confirm-inline";
import { useSettled } from "../use-settled";
import type { ChatSocket } from "../use-socket";
import { adminApi } from "./admin-api";
import { AdminCard } from "./admin-view";

/** Every room, private ones by name only: archived and unarchived, or deleted (after asking). */
export function AdminRooms({ socket }: { socket: ChatSocket | null }) {
  const t = useTranslations("admin");
  const say = useProblemText();
  const [query, setQuery] = useState("");
  const settled = useSettled(query.trim(), 250);
  const [rooms, setRooms] = useState<AdminRoom[] | null>(null);
  const [error, setError] = useState<Problem | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const { rooms: found } = await adminApi<{ rooms: AdminRoom[] }>(`rooms?${new URLSearchParams({ query: settled })}`);
      setRooms(found);
    } catch (failure) {
      setError(problemOf(failure));
    }
  }, [settled]);
  useEffect(() => void load(), [load]);

  async function archive(room: AdminRoom) {
    if (!socket) return;
    setError(null);
    try {
      await request(socket, "room:update", { roomId: room.id, archived: !room.archived });
      await load();
    } catch (failure) {
      setError(problemOf(failure));
    }
  }

  return (
    <AdminCard id="admin-rooms" title={t("rooms")}>
      <SearchField id="admin-room-search" label={t("findRoom")} placeholder={t("findRoom")} value={query} onChange={setQuery} />
      {error && <Alert>{say(error, "admin")}</Alert>}
      <ul aria-label={t("rooms")} className="divide-y divide-slate-200 dark:divide-slate-800">
        {rooms?.map((room) => (
          <li key={room.id} className="flex flex-wrap items-center gap-2 py-2 text-sm">
            <span className="min-w-0 flex-1">
              <span translate="no" className="font-medium">
                {room.visibility === "private" ? "🔒" : "#"} {room.name}
              </span>
              <span className="block text-xs text-slate-600 dark:text-slate-400">
                {t("roomLine", { count: room.memberCount })}
                {room.archived && ` · ${t("archived")}`}
              </span>
            </span>
            {deleting === room.id ? (
              <ConfirmInline
                label={t("deleteAsk", { room: room.name })}
                question={t("deleteAsk", { room: room.name })}
                confirm={t("delete")}
                busyLabel={t("deleting")}
                cancel={t("keep")}
                errorContext="room"
                onConfirm={async () => {
                  if (!socket) return;
                  await request(socket, "room:delete", { roomId: room.id });
                  setDeleting(null);
                  await load();
                }}
                onCancel={() => setDeleting(null)}
              />
            ) : (
              <>
                <Button size="xs" variant="secondary" onClick={() => void archive(room)}>
                  {room.archived ? t("unarchive") : t("archive")}
                </Button>
                <Button size="xs" variant="danger" onClick={() => setDeleting(room.id)}>
                  {t("delete")}
                </Button>
              </>
            )}
          </li>
        ))}
      </ul>
    </AdminCard>
  );
}
