"use client";

// A room's settings, for its owner and admins: name, topic and who may see it; archiving; the
// people banned from it; its incoming webhooks; and, for the owner, deleting it with everything in it.
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { type Problem, problemOf, useProblemText } from "@/app/lib/problems";
import type { RoomBanEntry, RoomSummary } from "@/server/protocol";
import { request } from "@/server/protocol/request";
import { hasPower } from "@/server/protocol/roles";
import { RoomExport } from "../export-settings";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { ConfirmInline } from "../ui/confirm-inline";
import { Dialog } from "../ui/dialog";
import { inputClass } from "../ui/input";
import type { ChatSocket } from "../use-socket";
import { RoomWebhooks } from "./room-webhooks";

export function RoomSettingsDialog({
  socket,
  room,
  onClose,
  onDeleted,
}: {
  socket: ChatSocket;
  room: RoomSummary;
  onClose(): void;
  onDeleted(): void;
}) {
  const t = useTranslations("roomSettings");
  const say = useProblemText();
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [bans, setBans] = useState<RoomBanEntry[] | null>(null);

  useEffect(() => {
    request(socket, "room:bans", { roomId: room.id })
      .then((reply) => setBans(reply.bans))
      .catch(() => setBans([]));
  }, [socket, room.id]);

  async function change(update: { name?: string; topic?: string; visibility?: "public" | "private"; archived?: boolean }) {
    setBusy(true);
    setSaved(false);
    setError(null);
    try {
      await request(socket, "room:update", { roomId: room.id, ...update });
      setSaved(true);
    } catch (failure) {
      setError(problemOf(failure));
    } finally {
      setBusy(false);
    }
  }

  function save(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const fields = new FormData(e.currentTarget);
    const name = String(fields.get("name") ?? "");
    const topic = String(fields.get("topic") ?? "").trim();
    const visibility = fields.get("visibility") === "private" ? "private" : "public";
    void change({
      ...(name !== room.name ? { name } : {}),
      ...(topic !== (room.topic ?? "") ? { topic } : {}),
      ...(visibility !== room.visibility ? { visibility } : {}),
    });
  }

  async function unban(userId: string) {
    try {
      await request(socket, "room:unban", { roomId: room.id, userId });
      setBans((list) => list?.filter((b) => b.user.id !== userId) ?? null);
    } catch (failure) {
      setError(problemOf(failure));
    }
  }

  return (
    <Dialog
      label={t("title", { room: room.name })}
      heading={{ close: t("close") }}
      onClose={onClose}
      className="w-[min(32rem,calc(100vw-2rem))]"
    >
      <div className="space-y-6 px-5 py-4 text-sm">
        {room.archived ? (
          <p className="rounded-lg bg-amber-50 p-3 text-amber-900 dark:bg-amber-500/15 dark:text-amber-100">
            {t("archivedNote")}
          </p>
        ) : (
          <form onSubmit={save} className="space-y-3">
            <div>
              <label htmlFor="settings-name" className="mb-1 block font-medium">
                {t("name")}
              </label>
              <input id="settings-name" name="name" required maxLength={64} defaultValue={room.name} className={inputClass} />
            </div>
            <div>
              <label htmlFor="settings-topic" className="mb-1 block font-medium">
                {t("topic")}
              </label>
              <input id="settings-topic" name="topic" maxLength={256} defaultValue={room.topic ?? ""} className={inputClass} />
            </div>
            <fieldset>
              <legend className="mb-1 font-medium">{t("visibility")}</legend>
              {(["public", "private"] as const).map((v) => (
                <label key={v} className="flex items-start gap-2 py-1">
                  <input type="radio" name="visibility" value={v} defaultChecked={room.visibility === v} className="mt-1" />
                  <span>
                    <span className="block">{t(v)}</span>
                    <span className="block text-slate-600 dark:text-slate-400">{t(`${v}Hint`)}</span>
                  </span>
                </label>
              ))}
            </fieldset>
            <Button type="submit" disabled={busy}>
              {t("save")}
            </Button>
          </form>
        )}
        {saved && (
          <p role="status" className="text-emerald-700 dark:text-emerald-300">
            {t("saved")}
          </p>
        )}
        {error && <Alert>{say(error, "roomCreate")}</Alert>}

        <section className="space-y-2">
          <h3 className="font-medium">{t("archive")}</h3>
          <p className="text-slate-600 dark:text-slate-400">{room.archived ? t("unarchiveHint") : t("archiveHint")}</p>
          <Button variant="secondary" size="sm" disabled={busy} onClick={() => void change({ archived: !room.archived })}>
            {room.archived ? t("unarchiveRoom") : t("archiveRoom")}
          </Button>
        </section>

        <section className="space-y-2" aria-labelledby="bans-heading">
          <h3 id="bans-heading" className="font-medium">
            {t("bans")}
          </h3>
          {bans?.length === 0 && <p className="text-slate-500 dark:text-slate-400">{t("noBans")}</p>}
          <ul aria-label={t("bans")} className="space-y-1">
            {bans?.map((ban) => (
              <li key={ban.user.id} className="flex items-center gap-2">
                <span translate="no" className="flex-1 truncate">
                  {ban.user.username}
                </span>
                <Button size="xs" variant="secondary" onClick={() => void unban(ban.user.id)}>
                  {t("unban", { username: ban.user.username })}
                </Button>
              </li>
            ))}
          </ul>
        </section>

        <RoomWebhooks socket={socket} roomId={room.id} />

        {hasPower(room.role, "delete") && <RoomExport socket={socket} roomId={room.id} />}

        {hasPower(room.role, "delete") && (
          <section className="space-y-2 border-t border-slate-200 pt-4 dark:border-slate-700">
            <h3 className="font-medium text-red-700 dark:text-red-300">{t("delete")}</h3>
            <p className="text-slate-600 dark:text-slate-400">{t("deleteHint", { count: room.memberCount })}</p>
            {deleting ? (
              <ConfirmInline
                label={t("deleteAsk", { room: room.name })}
                question={t("deleteAsk", { room: room.name })}
                confirm={t("deleteRoom")}
                busyLabel={t("deleting")}
                cancel={t("keep")}
                errorContext="room"
                onConfirm={async () => {
                  await request(socket, "room:delete", { roomId: room.id });
                  onDeleted();
                }}
                onCancel={() => setDeleting(false)}
              />
            ) : (
              <Button variant="danger" size="sm" onClick={() => setDeleting(true)}>
                {t("deleteRoom")}
              </Button>
            )}
          </section>
        )}
      </div>
    </Dialog>
  );
}
