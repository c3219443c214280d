"use client";

// `?`: every keyboard shortcut, in the keys of this computer (⌘ on a Mac, Ctrl elsewhere).
import { useTranslations } from "next-intl";
import { Dialog } from "../ui/dialog";
import { keyLabel, useIsMac } from "./keys";

const SHORTCUTS = [
  { keys: ["mod", "K"], what: "switch" },
  { keys: ["/"], what: "search" },
  { keys: ["alt", "↑ / ↓"], what: "nextPlace" },
  { keys: ["alt", "shift", "↑ / ↓"], what: "nextUnread" },
  { keys: ["Esc"], what: "markRead" },
  { keys: ["Enter"], what: "send" },
  { keys: ["shift", "Enter"], what: "newLine" },
  { keys: ["↑"], what: "editLast" },
  { keys: ["?"], what: "help" },
  { keys: ["mod", "/"], what: "helpWhileTyping" },
] as const;

export function ShortcutHelp({ onClose }: { onClose(): void }) {
  const t = useTranslations("shortcuts");
  const mac = useIsMac();
  return (
    <Dialog label={t("title")} heading={{ close: t("close") }} onClose={onClose} className="w-[min(30rem,calc(100vw-2rem))]">
      <dl className="divide-y divide-slate-100 px-5 py-2 text-sm dark:divide-slate-800">
        {SHORTCUTS.map((s) => (
          <div key={s.what} className="flex items-center justify-between gap-4 py-2">
            <dt className="text-slate-700 dark:text-slate-300">{t(s.what)}</dt>
            <dd className="flex shrink-0 gap-1">
              {s.keys.map((k) => (
                <kbd
                  key={k}
                  className="rounded-md border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs text-slate-800 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100"
                >
                  {keyLabel(k, mac)}
                </kbd>
              ))}
            </dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}
