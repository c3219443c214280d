"use client";

import { useTranslations } from "next-intl";
import { useCallback, useEffect, useState } from "react";
import { copy } from "@/app/lib/clipboard";
import { useFormat } from "@/app/lib/format";
import { type Problem, problemOf, useProblemText } from "@/app/lib/problems";
import type { AdminRoom, ServerInviteLink, ServerSettings } from "@/server/protocol";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { inputClass } from "../ui/input";
import { adminApi } from "./admin-api";
import { AdminCard } from "./admin-view";

const MODES = ["open", "invite-only", "closed"] as const;

/** Who may make an account (and the invites that let them), the upload limit, the room newcomers join. */
export function AdminServer({ maxUploadMb }: { maxUploadMb: number }) {
  const t = useTranslations("admin");
  const say = useProblemText();
  const format = useFormat();
  const [settings, setSettings] = useState<ServerSettings | null>(null);
  const [rooms, setRooms] = useState<AdminRoom[]>([]);
  const [invites, setInvites] = useState<ServerInviteLink[]>([]);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<Problem | null>(null);

  const load = useCallback(async () => {
    try {
      const [s, r, i] = await Promise.all([
        adminApi<{ settings: ServerSettings }>("settings"),
        adminApi<{ rooms: AdminRoom[] }>("rooms?limit=200"),
        adminApi<{ invites: ServerInviteLink[] }>("invites"),
      ]);
      setSettings(s.settings);
      setRooms(r.rooms);
      setInvites(i.invites);
    } catch (failure) {
      setError(problemOf(failure));
    }
  }, []);
  useEffect(() => void load(), [load]);

  async function save(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const fields = new FormData(e.currentTarget);
    const limit = String(fields.get("uploadLimitMb") ?? "").trim();
    const room = String(fields.get("defaultRoomId") ?? "");
    setSaved(false);
    setError(null);
    try {
      const reply = await adminApi<{ settings: ServerSettings }>("settings", {
        method: "PUT",
        body: {
          registration: fields.get("registration"),
          uploadLimitMb: limit === "" ? null : Number(limit),
          defaultRoomId: room === "" ? null : room,
        },
      });
      setSettings(reply.settings);
      setSaved(true);
    } catch (failure) {
      setError(problemOf(failure));
    }
  }

  async function invite() {
    setError(null);
    try {
      const { invite: made } = await adminApi<{ invite: ServerInviteLink }>("invites", {
        method: "POST",
        body: { expiresInHours: 24 * 7 },
      });
      setInvites((list) => [made, ...list]);
      await copy(made.url);
    } catch (failure) {
      setError(problemOf(failure));
    }
  }

  async function revoke(token: string) {
    try {
      await adminApi(`invites/${token}`, { method: "DELETE" });
      setInvites((list) => list.filter((i) => i.token !== token));
    } catch (failure) {
      setError(problemOf(failure));
    }
  }

  return (
    <AdminCard id="admin-server" title={t("server")}>
      {settings && (
        <form onSubmit={save} className="space-y-3 text-sm">
          <fieldset>
            <legend className="mb-1 font-medium">{t("registration")}</legend>
            {MODES.map((mode) => (
              <label key={mode} className="flex items-start gap-2 py-0.5">
                <input
                  type="radio"
                  name="registration"
                  value={mode}
                  defaultChecked={settings.registration === mode}
                  className="mt-1"
                />
                <span>
                  {t(`mode.${mode}`)}
                  <span className="block text-slate-600 dark:text-slate-400">{t(`modeHint.${mode}`)}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <div>
            <label htmlFor="upload-limit" className="mb-1 block font-medium">
              {t("uploadLimit")}
            </label>
            <input
              id="upload-limit"
              name="uploadLimitMb"
              type="number"
              min={1}
              max={maxUploadMb}
              placeholder={String(maxUploadMb)}
              defaultValue={settings.uploadLimitMb ?? ""}
              aria-describedby="upload-limit-hint"
              className={`${inputClass} w-32`}
            />
            <p id="upload-limit-hint" className="mt-1 text-slate-600 dark:text-slate-400">
              {t("uploadLimitHint", { max: maxUploadMb })}
            </p>
          </div>
          <div>
            <label htmlFor="default-room" className="mb-1 block font-medium">
              {t("defaultRoom")}
            </label>
            <select id="default-room" name="defaultRoomId" defaultValue={settings.defaultRoomId ?? ""} className={inputClass}>
              <option value="">{t("noDefaultRoom")}</option>
              {rooms.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.visibility === "private" ? "🔒" : "#"} {r.name}
                </option>
              ))}
            </select>
          </div>
          <Button type="submit">{t("save")}</Button>
          {saved && (
            <p role="status" className="text-emerald-700 dark:text-emerald-300">
              {t("saved")}
            </p>
          )}
        </form>
      )}
      {error && <Alert>{say(error, "admin")}</Alert>}
      <div className="space-y-2 border-t border-slate-200 pt-3 text-sm dark:border-slate-800">
        <h3 className="font-medium">{t("invites")}</h3>
        <p className="text-slate-600 dark:text-slate-400">{t("invitesHint")}</p>
        <Button size="sm" variant="secondary" onClick={() => void invite()}>
          {t("newInvite")}
        </Button>
        <ul aria-label={t("invites")} className="space-y-2">
          {invites.map((i) => (
            <li key={i.token} className="rounded-lg border border-slate-200 p-2 dark:border-slate-700">
              <input readOnly value={i.url} aria-label={t("inviteLink")} className={`${inputClass} font-mono text-xs`} />
              <div className="mt-1 flex items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
                <span className="flex-1">
                  {t("inviteUsed", { count: i.uses })}
                  {i.expiresAt && ` · ${t("inviteExpires", { when: format.time(i.expiresAt) })}`}
                </span>
                <Button size="xs" variant="danger" onClick={() => void revoke(i.token)}>
                  {t("revoke")}
                </Button>
              </div>
            </li>
          ))}
        </ul>
      </div>
    </AdminCard>
  );
}
