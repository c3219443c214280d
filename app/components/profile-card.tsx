"use client";

// A person's card: their picture, display name, username, status, whether they are online, and
// the way to write to them. Opened from a name or a picture anywhere (openProfile); one host on
// every page (in the header) shows it.
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useSyncExternalStore } from "react";
import { Avatar } from "./avatar";
import { shownName, useProfile } from "./profiles";
import { Dialog } from "./ui/dialog";

let open: string | null = null;
const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** Shows user `id`'s card (null closes it). */
export function openProfile(id: string | null): void {
  open = id;
  for (const listener of listeners) listener();
}

/** `me`: the signed-in person's username (their own card offers no "Message"). */
export function ProfileCardHost({ me }: { me: string }) {
  const id = useSyncExternalStore(
    subscribe,
    () => open,
    () => null,
  );
  return id ? <ProfileCard id={id} me={me} /> : null;
}

function ProfileCard({ id, me }: { id: string; me: string }) {
  const t = useTranslations("profile");
  const profile = useProfile(id);
  if (!profile) return null;
  const name = shownName(profile, profile);
  return (
    <Dialog label={t("of", { name })} onClose={() => openProfile(null)} className="w-[min(22rem,calc(100vw-2rem))]">
      <div className="flex flex-col items-center gap-2 px-6 pt-6 pb-5 text-center">
        <Avatar id={profile.id} name={profile.username} size="lg" />
        <h2 translate="no" className="text-lg font-semibold">
          {name}
        </h2>
        {profile.displayName && (
          <p translate="no" className="text-sm text-slate-600 dark:text-slate-400">
            @{profile.username}
          </p>
        )}
        {profile.deactivated && <p className="text-sm text-slate-600 dark:text-slate-400">{t("deactivated")}</p>}
        {profile.status && (
          <p translate="no" className="rounded-lg bg-slate-100 px-3 py-1.5 text-sm dark:bg-slate-800">
            {profile.status}
          </p>
        )}
        <div className="mt-2 flex gap-2">
          {profile.username !== me && !profile.deactivated && (
            <Link
              href={`/messages/${encodeURIComponent(profile.username)}`}
              onClick={() => openProfile(null)}
              className="rounded-lg bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
            >
              {t("message")}
            </Link>
          )}
          <button
            type="button"
            onClick={() => openProfile(null)}
            className="rounded-lg border border-slate-300 px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800"
          >
            {t("close")}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
