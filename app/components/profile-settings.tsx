"use client";

// My profile: the name shown beside my username, a short status, and my picture (sent to the
// server, which makes a small square of it; taken away, my initials show again).
import { useTranslations } from "next-intl";
import { useState } from "react";
import { type Problem, problemOf, useProblemText } from "@/app/lib/problems";
import { request } from "@/server/protocol/request";
import { Avatar } from "./avatar";
import { rememberProfiles, useProfile } from "./profiles";
import { Alert } from "./ui/alert";
import { Button } from "./ui/button";
import { inputClass } from "./ui/input";
import type { ChatSocket } from "./use-socket";

export function ProfileSettings({ socket, user }: { socket: ChatSocket | null; user: { id: string; username: string } }) {
  const t = useTranslations("accountSettings");
  const say = useProblemText();
  const profile = useProfile(user.id);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<Problem | null>(null);
  const [uploading, setUploading] = useState(false);

  async function save(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!socket) return;
    const fields = new FormData(e.currentTarget);
    setSaved(false);
    setError(null);
    try {
      const reply = await request(socket, "user:profile", {
        displayName: String(fields.get("displayName") ?? ""),
        status: String(fields.get("status") ?? ""),
      });
      rememberProfiles([reply.profile]);
      setSaved(true);
    } catch (failure) {
      setError(problemOf(failure));
    }
  }

  async function picture(method: "PUT" | "DELETE", file?: File) {
    setUploading(true);
    setError(null);
    try {
      const res = await fetch("/api/avatar", { method, body: file });
      const body = (await res.json().catch(() => null)) as {
        profile?: Parameters<typeof rememberProfiles>[0][0];
        error?: unknown;
      } | null;
      if (!res.ok || !body?.profile) setError(problemOf(body?.error));
      else rememberProfiles([body.profile]);
    } catch {
      setError({ code: "network" });
    } finally {
      setUploading(false);
    }
  }

  return (
    <section
      aria-labelledby="profile-heading"
      className="space-y-4 rounded-2xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 id="profile-heading" className="font-semibold">
        {t("profile")}
      </h2>
      <div className="flex items-center gap-4">
        <Avatar id={user.id} name={user.username} size="lg" />
        <div className="flex flex-wrap gap-2">
          <label className="cursor-pointer rounded-md border border-slate-300 px-3 py-1 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-within:ring-2 focus-within:ring-brand-500 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800">
            {uploading ? t("uploading") : t("choosePicture")}
            <input
              type="file"
              accept="image/png,image/jpeg,image/gif,image/webp"
              className="sr-only"
              disabled={uploading}
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = "";
                if (file) void picture("PUT", file);
              }}
            />
          </label>
          {profile?.avatarUrl && (
            <Button size="sm" variant="secondary" disabled={uploading} onClick={() => void picture("DELETE")}>
              {t("removePicture")}
            </Button>
          )}
        </div>
      </div>
      {profile !== undefined && (
        <form onSubmit={save} className="space-y-3">
          <div>
            <label htmlFor="display-name" className="mb-1 block text-sm font-medium">
              {t("displayName")}
            </label>
            <input
              id="display-name"
              name="displayName"
              maxLength={64}
              defaultValue={profile?.displayName ?? ""}
              placeholder={user.username}
              className={inputClass}
            />
          </div>
          <div>
            <label htmlFor="status" className="mb-1 block text-sm font-medium">
              {t("status")}
            </label>
            <input
              id="status"
              name="status"
              maxLength={140}
              defaultValue={profile?.status ?? ""}
              placeholder={t("statusPlaceholder")}
              className={inputClass}
            />
          </div>
          <Button type="submit">{t("saveProfile")}</Button>
          {saved && (
            <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
              {t("profileSaved")}
            </p>
          )}
        </form>
      )}
      {error && <Alert>{say(error, "profile")}</Alert>}
    </section>
  );
}
