"use client";

// How I am notified, on every device (user:settings): browser notifications (the browser's
// permission is asked here, from the click, never on page load), a sound, quiet hours.
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { pushedHere, subscribeHere, unsubscribeHere } from "@/app/lib/push";
import type { UserSettings } from "@/server/protocol";
import { request } from "@/server/protocol/request";
import { Dialog } from "../ui/dialog";
import type { ChatSocket } from "../use-socket";
import { useUserSettings } from "./use-notifications";

const box = "h-4 w-4 shrink-0 rounded border-slate-400 accent-brand-600";

export function NotificationSettings({ socket, onClose }: { socket: ChatSocket | null; onClose(): void }) {
  const t = useTranslations("notifications");
  const { data: settings, setData } = useUserSettings(socket);
  const [problem, setProblem] = useState<"blocked" | "failed" | "noPush" | null>(null);
  /** whether this browser gets pushes (push is on for me, and this browser is subscribed) */
  const [here, setHere] = useState(false);
  useEffect(() => {
    pushedHere().then(setHere, () => setHere(false));
  }, []);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  // shown at once; the server's answer then stands (or, if it fails, what was there before)
  async function save(change: Partial<UserSettings>) {
    if (!socket || !settings) return;
    const before = settings;
    setProblem(null);
    setData({ ...settings, ...change });
    try {
      setData((await request(socket, "user:settings", change)).settings);
    } catch {
      setData(before);
      setProblem("failed");
    }
  }

  /** The browser's permission, asked here from the person's own click; false when refused. */
  async function permitted(): Promise<boolean> {
    if (!("Notification" in window)) return false;
    if (Notification.permission === "granted" || (await Notification.requestPermission()) === "granted") return true;
    setProblem("blocked");
    return false;
  }

  async function desktop(on: boolean) {
    if (on && !(await permitted())) return;
    await save({ desktop: on });
  }

  // on: this browser subscribes (and push is on for me); off: this browser is forgotten and push is off
  async function push(on: boolean) {
    setProblem(null);
    if (!on) {
      setHere(false);
      await unsubscribeHere();
      await save({ push: false });
      return;
    }
    if (!(await permitted())) return;
    try {
      await subscribeHere();
    } catch {
      setProblem("noPush");
      return;
    }
    setHere(true);
    await save({ push: true });
  }

  return (
    <Dialog label={t("title")} heading={{ close: t("close") }} onClose={onClose} className="w-[min(30rem,calc(100vw-2rem))]">
      {settings && (
        <div className="space-y-4 px-5 py-4 text-sm">
          <label className="flex items-start gap-3">
            <input
              type="checkbox"
              className={`${box} mt-0.5`}
              checked={settings.desktop}
              onChange={(e) => void desktop(e.target.checked)}
            />
            <span>{t("desktop")}</span>
          </label>
          <label className="flex items-start gap-3">
            <input
              type="checkbox"
              className={`${box} mt-0.5`}
              checked={settings.push && here}
              onChange={(e) => void push(e.target.checked)}
            />
            <span>{t("push")}</span>
          </label>
          <label className="flex items-start gap-3">
            <input
              type="checkbox"
              className={`${box} mt-0.5`}
              checked={settings.sound}
              onChange={(e) => void save({ sound: e.target.checked })}
            />
            <span>{t("sound")}</span>
          </label>
          <fieldset className="space-y-2">
            <label className="flex items-start gap-3">
              <input
                type="checkbox"
                className={`${box} mt-0.5`}
                checked={settings.quietHours !== null}
                onChange={(e) =>
                  void save({ quietHours: e.target.checked ? { from: "22:00", to: "08:00" } : null, timeZone: zone })
                }
              />
              <span>{t("quiet")}</span>
            </label>
            {settings.quietHours && (
              <div className="ml-7 flex flex-wrap items-center gap-2">
                {(["from", "to"] as const).map((end) => (
                  <label key={end} className="flex items-center gap-1.5">
                    {t(end)}
                    <input
                      type="time"
                      value={settings.quietHours?.[end] ?? ""}
                      onChange={(e) => {
                        if (!settings.quietHours || !e.target.value) return;
                        void save({ quietHours: { ...settings.quietHours, [end]: e.target.value }, timeZone: zone });
                      }}
                      className="rounded-md border border-slate-300 bg-white px-2 py-1 text-slate-900 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100"
                    />
                  </label>
                ))}
                <span className="text-xs text-slate-600 dark:text-slate-400">{t("zone", { zone: settings.timeZone })}</span>
              </div>
            )}
          </fieldset>
          {problem && (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              {t(problem)}
            </p>
          )}
          <p className="text-xs text-slate-600 dark:text-slate-400">{t("rooms")}</p>
        </div>
      )}
    </Dialog>
  );
}
