"use client";

// Rooms nobody is in, listed apart under the lobby's rooms (collapsed), each with a way to join
// it again or clear it away for good.
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { RoomSummary } from "@/server/protocol";
import { RequestError, request } from "@/server/protocol/request";
import { Button } from "./ui/button";
import { ConfirmInline } from "./ui/confirm-inline";
import type { ChatSocket } from "./use-socket";

function EmptyRoom({ room, socket }: { room: RoomSummary; socket: ChatSocket | null }) {
  const t = useTranslations("lobby");
  const [asking, setAsking] = useState(false);
  return (
    <li className="flex flex-wrap items-center gap-2 rounded-lg px-2 py-1.5 text-sm">
      <Link
        href={`/rooms/${room.id}`}
        translate="no"
        className="min-w-0 flex-1 truncate text-slate-600 hover:underline dark:text-slate-300"
      >
        # {room.name}
      </Link>
      {asking ? (
        <ConfirmInline
          label={t("deleteAsk", { room: room.name })}
          question={t("deleteAsk", { room: room.name })}
          confirm={t("delete")}
          busyLabel={t("deleting")}
          cancel={t("keep")}
          errorContext="room"
          onConfirm={async () => {
            if (!socket) throw new RequestError("timeout", "Not connected.");
            // the list drops it when room:deleted comes, here and everywhere
            await request(socket, "room:delete", { roomId: room.id });
          }}
          onCancel={() => setAsking(false)}
        />
      ) : (
        <Button variant="ghost" size="xs" onClick={() => setAsking(true)} aria-label={t("deleteRoom", { room: room.name })}>
          {t("delete")}
        </Button>
      )}
    </li>
  );
}

export function EmptyRooms({ rooms, socket }: { rooms: RoomSummary[]; socket: ChatSocket | null }) {
  const t = useTranslations("lobby");
  if (rooms.length === 0) return null;
  return (
    <details className="mt-4 rounded-xl border border-slate-200 bg-white/60 px-3 py-2 dark:border-slate-800 dark:bg-slate-900/60">
      <summary className="cursor-pointer text-sm font-medium text-slate-600 dark:text-slate-300">
        {t("emptyRooms", { count: rooms.length })}
      </summary>
      <ul aria-label={t("emptyRoomsList")} className="mt-1">
        {rooms.map((room) => (
          <EmptyRoom key={room.id} room={room} socket={socket} />
        ))}
      </ul>
    </details>
  );
}
