"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { fileUrl } from "@/app/lib/file-url";
import { useFormat } from "@/app/lib/format";
import { request } from "@/server/protocol/request";
import { useLiveQuery } from "../use-live";
import type { ChatSocket } from "../use-socket";
import { FileBadge } from "./file-card";

const SHOWN = 5;

/** The lobby's "Recent files": the newest files shared anywhere you are, and the way to all of them. */
export function RecentFiles({ socket }: { socket: ChatSocket | null }) {
  const t = useTranslations("recentFiles");
  const format = useFormat();
  const { data: files } = useLiveQuery(socket, async (s) => (await request(s, "file:list", { limit: SHOWN })).files, {
    refreshOn: {
      "message:new": (m) => m.file !== undefined,
      "dm:new": (m) => m.file !== undefined,
      // the next newest moves up into the gap
      "file:removed": () => true,
    },
  });

  return (
    <section
      aria-labelledby="recent-files-heading"
      className="space-y-3 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex items-baseline justify-between gap-2">
        <h2 id="recent-files-heading" className="font-semibold">
          {t("title")}
        </h2>
        <Link href="/files" className="text-sm text-brand-600 hover:underline dark:text-brand-100">
          {t("all")}
        </Link>
      </div>
      {files === null && <p className="text-sm text-slate-500">{t("loading")}</p>}
      {files?.length === 0 && <p className="text-sm text-slate-500 dark:text-slate-400">{t("empty")}</p>}
      {files && files.length > 0 && (
        <ul aria-label={t("title")} className="space-y-1">
          {files.map((f) => (
            <li key={f.id}>
              <a
                href={fileUrl(f.id)}
                download={f.name}
                title={t("download", { name: f.name, size: format.size(f.size) })}
                className="flex items-center gap-2 rounded-lg px-2 py-1.5 text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
              >
                <FileBadge file={f} small />
                <span className="min-w-0 flex-1">
                  <span translate="no" className="block truncate">
                    {f.name}
                  </span>
                  <span className="block truncate text-xs text-slate-500 dark:text-slate-400">
                    {f.room ? `#${f.room.name}` : `@${f.conversation?.with.username}`} · {format.relative(f.createdAt)}
                  </span>
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
